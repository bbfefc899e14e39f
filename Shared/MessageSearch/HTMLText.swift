/// The text a reader sees in an HTML part, for BODY and TEXT: tags removed (a block-level
/// tag becomes a line feed, so words of two paragraphs do not run together), `<script>`,
/// `<style>` and comments dropped, character references decoded (HTML §13.5). Searched beside
/// the HTML as written, so `totals are green` and `<b>green` both find `Totals are <b>green</b>`.
/// A reduction for search, not a parser: malformed markup gives some text, never an error.
enum HTMLText {
    private static let blockTags: Set<String> = [
        "p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
        "blockquote", "pre", "hr", "section", "article", "header", "footer", "title", "dd", "dt",
    ]

    static func reduce(_ html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        /// A lower-cased tag name whose content is skipped until its end tag.
        var skipping: String?
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" {
                if hasPrefix(scalars, index, "<!--") {
                    index = find(scalars, from: index + 4, "-->").map { $0 + 3 } ?? scalars.count
                    continue
                }
                guard let end = scalars[index...].firstIndex(of: ">") else { break }
                let name = tagName(scalars[(index + 1)..<end])
                index = end + 1
                if let skip = skipping {
                    if name == "/" + skip { skipping = nil }
                    continue
                }
                if name == "script" || name == "style" {
                    skipping = name
                } else if blockTags.contains(name.hasPrefix("/") ? String(name.dropFirst()) : name) {
                    out.append("\n")
                }
                continue
            }
            index += 1
            if skipping != nil { continue }
            if scalar == "&", let (decoded, length) = entity(scalars, index) {
                out.append(contentsOf: decoded.unicodeScalars)
                index += length
                continue
            }
            out.append(scalar)
        }
        return String(out)
    }

    /// `p`, `/p`, `br` of a tag's inside, lower-cased; "" for `!doctype` and the like.
    private static func tagName(_ inside: ArraySlice<Unicode.Scalar>) -> String {
        var name = ""
        for scalar in inside {
            if scalar == "/" && name.isEmpty {
                name = "/"
                continue
            }
            guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else { break }
            name.unicodeScalars.append(scalar)
        }
        return name.lowercased()
    }

    private static func hasPrefix(_ scalars: [Unicode.Scalar], _ index: Int, _ prefix: String) -> Bool {
        let p = Array(prefix.unicodeScalars)
        return index + p.count <= scalars.count && Array(scalars[index..<index + p.count]) == p
    }

    private static func find(_ scalars: [Unicode.Scalar], from: Int, _ text: String) -> Int? {
        var index = from
        while index < scalars.count {
            if hasPrefix(scalars, index, text) { return index }
            index += 1
        }
        return nil
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
        "euro": "€", "hellip": "…", "mdash": "—", "ndash": "–", "laquo": "«", "raquo": "»",
    ]

    /// A character reference after `&` (at `index`): its text and the scalars it spans up to
    /// and with `;`. Unknown names are left as written.
    private static func entity(_ scalars: [Unicode.Scalar], _ index: Int) -> (String, Int)? {
        var end = index
        while end < scalars.count, end - index < 12, scalars[end] != ";" { end += 1 }
        guard end < scalars.count, scalars[end] == ";", end > index else { return nil }
        let body = String(String.UnicodeScalarView(scalars[index..<end]))
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (String(scalar), end - index + 1)
        }
        return named[body].map { ($0, end - index + 1) }
    }
}
