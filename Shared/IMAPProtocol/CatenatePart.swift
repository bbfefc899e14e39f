import LineFraming

/// One part of an APPEND's CATENATE list: literal text, or an IMAP URL (RFC 5092) of a message
/// or a part of one, whose octets the server copies in. RFC 4469 §3, §5.
///
/// ```
/// append-data  =/ "CATENATE" SP "(" cat-part *(SP cat-part) ")"
/// cat-part     = text-literal / url
/// text-literal = "TEXT" SP literal          ; literal8 too with BINARY (RFC 4469 §5)
/// url          = "URL" SP astring
/// ```
/// ```
/// C: A003 APPEND Drafts (\Seen \Draft $MDNSent) CATENATE (URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER"
///    TEXT {42}
/// C: …42 octets… URL "/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME")
/// ```
public enum CatenatePart: Sendable, Hashable {
    case text([UInt8], binary: Bool = false)
    case url(String)
}

extension IMAPCommandParser {
    /// `"(" cat-part *(SP cat-part) ")"`, read from after "CATENATE" SP.
    func catenateParts(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> [CatenatePart] {
        try c.open()
        var parts: [CatenatePart] = []
        repeat {
            switch try c.keyword() {
            case "TEXT":
                try c.space()
                let (data, binary) = try c.literal(allowBinary: true)
                parts.append(.text(data, binary: binary))
            case "URL":
                try c.space()
                parts.append(.url(try c.utf8(c.astring())))
            default: throw IMAPCursor.fail("expected TEXT or URL")
            }
        } while c.take(ByteClass.space)
        try c.close()
        return parts
    }
}

extension CatenatePart {
    /// `TEXT {n}` CRLF octets, or `URL "…"`.
    func encoded(style: IMAPLiteralStyle) -> [UInt8] {
        switch self {
        case .text(let data, let binary): return Array("TEXT ".utf8) + IMAPString.literal(data, style: style, binary: binary)
        case .url(let url): return Array("URL ".utf8) + IMAPString.astring(Array(url.utf8), style: style)
        }
    }
}
