/// Character classes of the IMAP grammar (RFC 9051 §9), on bytes, so the parsers never
/// decode text they will refuse.
///
/// ```
/// atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
/// list-wildcards  = "%" / "*"
/// quoted-specials = DQUOTE / "\"
/// resp-specials   = "]"
/// ATOM-CHAR       = <any CHAR except atom-specials>
/// ASTRING-CHAR    = ATOM-CHAR / resp-specials
/// TAG-CHAR        = <any ASTRING-CHAR except "+">
/// ```
enum IMAPByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
    static let tilde: UInt8 = 0x7E
    static let star: UInt8 = 0x2A
    static let percent: UInt8 = 0x25
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let dollar: UInt8 = 0x24

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// ATOM-CHAR. RFC 9051 §9
    static func isAtomChar(_ b: UInt8) -> Bool {
        guard b > 0x20, b < 0x7F else { return false }  // CHAR less CTL and SP
        switch b {
        case openParen, closeParen, openBrace, percent, star, quote, backslash, closeBracket: return false
        default: return true
        }
    }

    /// ASTRING-CHAR. RFC 9051 §9
    static func isAstringChar(_ b: UInt8) -> Bool { isAtomChar(b) || b == closeBracket }

    /// TAG-CHAR. RFC 9051 §9
    static func isTagChar(_ b: UInt8) -> Bool { isAstringChar(b) && b != plus }

    /// list-char: what LIST patterns may hold unquoted. RFC 9051 §9
    static func isListChar(_ b: UInt8) -> Bool { isAstringChar(b) || b == percent || b == star }

    /// TEXT-CHAR less quoted-specials, plus UTF-8 octets (RFC 9051 §9 QUOTED-CHAR allows
    /// UTF8-2/3/4; their validity is checked when the string is decoded).
    static func isQuotable(_ b: UInt8) -> Bool {
        b >= 0x80 || (b >= 0x01 && b < 0x7F && b != cr && b != lf && b != quote && b != backslash)
    }

    static func upperString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.map { isAlpha($0) ? $0 & ~0x20 : $0 }, as: UTF8.self)
    }
}
