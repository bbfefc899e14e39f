import LineFraming

/// The IMAP grammar's own character classes (RFC 9051 §9); the common ones are
/// `LineFraming.ByteClass`'s.
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
extension ByteClass {
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
}
