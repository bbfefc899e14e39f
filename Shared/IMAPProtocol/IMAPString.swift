import LineFraming

/// How a value is sent as an IMAP string: atom, quoted string or literal, whichever the
/// grammar allows and the value fits. RFC 9051 §4.3.
///
/// ```
/// astring = 1*ASTRING-CHAR / string
/// string  = quoted / literal
/// nstring = string / nil
/// ```
/// `C: a1 LOGIN alice "pass word"` and `C: a1 LOGIN alice {9}` + CRLF + `pass word` carry
/// the same password.
public enum IMAPString {
    /// The longest value sent as a quoted string; longer ones go as literals so lines stay
    /// well under the peer's line limit (`IMAPDefaults.lineLength`).
    public static let maxQuotedLength = 1_000

    /// As an atom when every byte is an ASTRING-CHAR, else as `string`. RFC 9051 §9
    public static func astring(_ bytes: [UInt8], style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        if !bytes.isEmpty, bytes.count <= maxQuotedLength, bytes.allSatisfy(ByteClass.isAstringChar) { return bytes }
        return string(bytes, style: style)
    }

    /// As a quoted string when it can be one (no CR, LF, NUL; valid UTF-8), else a literal.
    /// RFC 9051 §4.3
    public static func string(_ bytes: [UInt8], style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        if bytes.count <= maxQuotedLength,
            bytes.allSatisfy({ ByteClass.isQuotable($0) || $0 == ByteClass.quote || $0 == ByteClass.backslash }),
            bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil
        {
            return quoted(bytes)
        }
        return literal(bytes, style: style)
    }

    /// `NIL` for nil, else `string`. RFC 9051 §9
    public static func nstring(_ bytes: [UInt8]?, style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        guard let bytes else { return Array("NIL".utf8) }
        return string(bytes, style: style)
    }

    /// DQUOTE *QUOTED-CHAR DQUOTE, escaping `"` and `\`. RFC 9051 §9
    public static func quoted(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [ByteClass.quote]
        for b in bytes {
            if b == ByteClass.quote || b == ByteClass.backslash { out.append(ByteClass.backslash) }
            out.append(b)
        }
        out.append(ByteClass.quote)
        return out
    }

    /// `{n}` CRLF data (or `{n+}`, `~{n}`). RFC 9051 §4.3, RFC 7888 §3, RFC 3516 §4.2
    public static func literal(_ bytes: [UInt8], style: IMAPLiteralStyle = .synchronizing, binary: Bool = false) -> [UInt8] {
        IMAPLiteralHeader(size: bytes.count, synchronizing: style == .synchronizing, binary: binary).encoded
            + [ByteClass.cr, ByteClass.lf] + bytes
    }
}

/// How an encoder announces literals: synchronizing (`{n}`, wait for `+`, RFC 9051 §4.3) or
/// not (`{n+}`, LITERAL+, RFC 7888 §3).
public enum IMAPLiteralStyle: Sendable, Hashable {
    case synchronizing
    case nonSynchronizing
}

extension IMAPString {
    /// Parses a whole astring or nstring as sent on one line (atom or quoted string), for
    /// tests and tools; `nil` for NIL when `allowNil`.
    public static func parse(_ bytes: [UInt8], allowNil: Bool = false) throws(IMAPSyntaxError) -> [UInt8]? {
        try IMAPCursor.whole(bytes) { c throws(IMAPSyntaxError) in allowNil ? try c.nstring() : try c.astring() }
    }
}
