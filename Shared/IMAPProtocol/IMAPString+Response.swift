import LineFraming

/// Strings as a server sends them. RFC 9051 §4.3, RFC 3501 §4.3, RFC 6855 §3.
///
/// ```
/// quoted          = DQUOTE *QUOTED-CHAR DQUOTE
/// QUOTED-CHAR     = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials   ; RFC 3501 §9: 7-bit
/// QUOTED-CHAR     =/ UTF8-2 / UTF8-3 / UTF8-4                                   ; RFC 9051 §9, RFC 6855 §3
/// literal         = "{" number64 "}" CRLF *CHAR8                                ; CHAR8 = %x01-ff, no NUL
/// ```
/// `S: * 6 FETCH (ENVELOPE (NIL {5}` CRLF `Café …` — 8-bit text to an IMAP4rev1 client goes as
/// a literal, the way Dovecot sends it; after `ENABLE UTF8=ACCEPT` it may be quoted.
extension IMAPString {
    /// A `string` in a response: quoted when the grammar allows it (7-bit without CR/LF, or
    /// valid UTF-8 once UTF-8 is enabled, and at most `maxQuotedLength` octets), else a
    /// synchronizing literal. NUL, which neither form may carry, is dropped.
    public static func responseString(_ bytes: [UInt8], utf8Enabled: Bool) -> [UInt8] {
        let bytes = bytes.contains(0) ? bytes.filter { $0 != 0 } : bytes
        if utf8Enabled { return string(bytes) }
        if bytes.count <= maxQuotedLength, bytes.allSatisfy({ $0 < 0x80 && $0 != ByteClass.cr && $0 != ByteClass.lf }) {
            return quoted(bytes)
        }
        return literal(bytes)
    }

    /// `nstring`: `NIL` for nil, else `responseString`. RFC 9051 §9
    public static func responseNString(_ bytes: [UInt8]?, utf8Enabled: Bool) -> [UInt8] {
        guard let bytes else { return Array("NIL".utf8) }
        return responseString(bytes, utf8Enabled: utf8Enabled)
    }
}
