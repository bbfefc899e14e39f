/// Character classes every grammar here shares (RFC 5234 Appendix B.1 core rules, RFC 20
/// ASCII), on bytes, so the parsers never decode text they will refuse. Each protocol
/// module adds its own classes in an extension (`ByteClass+SMTP`, `+POP3`, `+IMAP`).
///
/// The members are `@inlinable` so the parsers in other modules pay no call for them.
public enum ByteClass {
    @inlinable public static var cr: UInt8 { 0x0D }
    @inlinable public static var lf: UInt8 { 0x0A }
    @inlinable public static var crlf: [UInt8] { [0x0D, 0x0A] }
    @inlinable public static var space: UInt8 { 0x20 }
    @inlinable public static var tab: UInt8 { 0x09 }
    @inlinable public static var quote: UInt8 { 0x22 }
    @inlinable public static var dollar: UInt8 { 0x24 }
    @inlinable public static var percent: UInt8 { 0x25 }
    @inlinable public static var openParen: UInt8 { 0x28 }
    @inlinable public static var closeParen: UInt8 { 0x29 }
    @inlinable public static var star: UInt8 { 0x2A }
    @inlinable public static var plus: UInt8 { 0x2B }
    @inlinable public static var comma: UInt8 { 0x2C }
    @inlinable public static var hyphen: UInt8 { 0x2D }
    @inlinable public static var dot: UInt8 { 0x2E }
    @inlinable public static var slash: UInt8 { 0x2F }
    @inlinable public static var colon: UInt8 { 0x3A }
    @inlinable public static var lessThan: UInt8 { 0x3C }
    @inlinable public static var equals: UInt8 { 0x3D }
    @inlinable public static var greaterThan: UInt8 { 0x3E }
    @inlinable public static var at: UInt8 { 0x40 }
    @inlinable public static var openBracket: UInt8 { 0x5B }
    @inlinable public static var backslash: UInt8 { 0x5C }
    @inlinable public static var closeBracket: UInt8 { 0x5D }
    @inlinable public static var underscore: UInt8 { 0x5F }
    @inlinable public static var openBrace: UInt8 { 0x7B }
    @inlinable public static var closeBrace: UInt8 { 0x7D }
    @inlinable public static var tilde: UInt8 { 0x7E }

    /// RFC 5234 B.1 ALPHA.
    @inlinable public static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    /// RFC 5234 B.1 DIGIT.
    @inlinable public static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// RFC 5321 §4.1.2 Let-dig.
    @inlinable public static func isLetDig(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    /// RFC 5234 B.1 HEXDIG, either case.
    @inlinable public static func isHexDigit(_ b: UInt8) -> Bool { hexValue(b) != nil }
    @inlinable public static func isNonASCII(_ b: UInt8) -> Bool { b >= 0x80 }
    /// RFC 5234 B.1 CTL, plus DEL.
    @inlinable public static func isControl(_ b: UInt8) -> Bool { b < 0x20 || b == 0x7F }
    /// RFC 5234 B.1 VCHAR: printable ASCII without space.
    @inlinable public static func isVisible(_ b: UInt8) -> Bool { b >= 0x21 && b <= 0x7E }

    /// The value of a hex digit, or nil.
    @inlinable public static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b - 0x30 }
        let lower = b | 0x20
        if lower >= 0x61 && lower <= 0x66 { return lower - 0x61 + 10 }
        return nil
    }

    @inlinable public static func asciiUppercased(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
    @inlinable public static func asciiLowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// The bytes upper-cased (ASCII only) as a String: keywords, verbs and mechanisms.
    @inlinable public static func upperString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.map(asciiUppercased), as: UTF8.self)
    }

    /// Whether `bytes` equals `keyword` ignoring ASCII case (`keyword` is upper-case ASCII).
    @inlinable public static func equalsIgnoringCase<C: Collection>(_ bytes: C, _ keyword: String) -> Bool
    where C.Element == UInt8 {
        bytes.count == keyword.utf8.count && zip(bytes, keyword.utf8).allSatisfy { asciiUppercased($0) == $1 }
    }
}
