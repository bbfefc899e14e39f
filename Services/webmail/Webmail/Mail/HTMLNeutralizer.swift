/// A message's HTML with the elements that make a browser connect somewhere renamed into
/// unknown, inert ones before it is served to the sandboxed frame.
///
/// The frame's policy (`sandbox; default-src 'none'`) stops every fetch, but not every
/// connection: Chromium opens a TCP connection for `<link rel=preconnect>` and for an
/// `<iframe src>` it will then refuse to load (the policy does not govern preconnects,
/// whatwg/html#9035, w3c/webappsec-csp#282), which tells the sender when and from where the
/// mail was read. So every start or end tag whose name begins with one of these is renamed
/// `x-removed-…`, wherever it appears: the HTML tokenizer starts a tag at `<` or `</` followed
/// by the name's letters (WHATWG HTML §13.2.5.6–8), so matching that spelling in any case
/// finds every such tag, and renaming text that only looks like one (in a comment, an
/// attribute) changes nothing that matters. Scripts cannot make new tags: none run.
enum HTMLNeutralizer {
    static let names: [[UInt8]] = [
        "link", "iframe", "frame", "object", "embed", "meta", "base", "portal", "fencedframe", "applet",
    ].map { Array($0.utf8) }

    static func neutralize(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        while i < bytes.count {
            out.append(bytes[i])
            guard bytes[i] == UInt8(ascii: "<") else {
                i += 1
                continue
            }
            var start = i + 1
            if start < bytes.count, bytes[start] == UInt8(ascii: "/") {
                out.append(bytes[start])
                start += 1
            }
            if names.contains(where: { matches($0, in: bytes, at: start) }) {
                out.append(contentsOf: Array("x-removed-".utf8))
            }
            i = start
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `name` (lower case ASCII) is at `index`, in any case.
    static func matches(_ name: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard index + name.count <= bytes.count else { return false }
        for (offset, letter) in name.enumerated() where bytes[index + offset] | 0x20 != letter {
            return false
        }
        return true
    }
}
