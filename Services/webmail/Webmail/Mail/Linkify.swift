/// Plain text cut into text and links, for the template to make `<a>` elements of the links
/// and escape everything: only `http:` and `https:` URLs become links, so no `javascript:`,
/// `data:` or other scheme, in whatever spelling, ever reaches an `href`.
enum Linkify {
    static func segments(_ text: String) -> [TextSegment] {
        var segments: [TextSegment] = []
        var plain = Substring()
        var rest = Substring(text)
        while let start = nextURL(in: rest) {
            plain += rest[..<start]
            let url = urlEnd(rest[start...])
            if !plain.isEmpty { segments.append(TextSegment(text: String(plain), url: "")) }
            plain = ""
            segments.append(TextSegment(text: String(url), url: String(url)))
            rest = rest[url.endIndex...]
        }
        plain += rest
        if !plain.isEmpty { segments.append(TextSegment(text: String(plain), url: "")) }
        return segments
    }

    /// Where the next `http://` or `https://` (any case) with something after it begins.
    static func nextURL(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        while let h = text[index...].firstIndex(where: { $0 == "h" || $0 == "H" }) {
            let tail = text[h...].prefix(8).lowercased()
            let length = tail.hasPrefix("https://") ? 8 : tail.hasPrefix("http://") ? 7 : 0
            // Not in the middle of a word ("xhttp://"), and with a host after the scheme.
            let wordBefore = h > text.startIndex && text[text.index(before: h)].isLetter
            if length > 0, !wordBefore, let after = text.index(h, offsetBy: length, limitedBy: text.endIndex),
                after < text.endIndex, isURLCharacter(text[after])
            {
                return h
            }
            index = text.index(after: h)
        }
        return nil
    }

    /// The URL starting `text`: up to white space or a character that cannot be in one,
    /// without the punctuation that usually ends the sentence around it.
    static func urlEnd(_ text: Substring) -> Substring {
        var url = text.prefix(while: isURLCharacter)
        while let last = url.last, ".,;:!?)]}'".contains(last) { url = url.dropLast() }
        return url
    }

    static func isURLCharacter(_ c: Character) -> Bool {
        guard c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first else { return false }
        // RFC 3986 characters; `<`, `>`, `"`, `{`, `}`, `|`, `\`, `^` and backquote are not.
        return scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F && !"<>\"{}|\\^`".unicodeScalars.contains(scalar)
    }
}
