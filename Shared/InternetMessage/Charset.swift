import Foundation

/// Turns bytes in a MIME charset (RFC 2046 §4.1.2, IANA names) into a String.
///
/// UTF-8 and US-ASCII decode lossily (mislabelled 8-bit text is common); ISO-8859-1
/// is read as its superset windows-1252 as browsers do (WHATWG Encoding), with
/// ISO-8859-15 and -9 done by hand; anything else goes through Foundation's IANA
/// table. Unknown charsets give nil so callers can leave the text as it was.
public enum Charset {
    /// Lower-cased, unquoted, with common aliases mapped to their IANA names.
    static func normalize(_ name: String) -> String {
        var lowered = ByteScan.asciiLowercased(ByteScan.trimmed(name))
        if lowered.hasPrefix("\"") && lowered.hasSuffix("\"") && lowered.count >= 2 {
            lowered = String(lowered.dropFirst().dropLast())
        }
        switch lowered {
        case "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": return "utf-8"
        case "ascii", "us", "ansi_x3.4-1968", "iso646-us", "646": return "us-ascii"
        case "latin1", "l1", "iso8859-1", "iso_8859-1", "iso-latin-1", "cp819", "ibm819": return "iso-8859-1"
        case "latin9", "l9", "iso8859-15", "iso_8859-15": return "iso-8859-15"
        case "latin5", "l5", "iso8859-9", "iso_8859-9": return "iso-8859-9"
        case "latin2", "l2", "iso8859-2", "iso_8859-2": return "iso-8859-2"
        default: break
        }
        if lowered.hasPrefix("cp125"), lowered.count == 6 { return "windows-" + lowered.dropFirst(2) }
        if lowered.hasPrefix("x-cp125"), lowered.count == 8 { return "windows-" + lowered.dropFirst(4) }
        return lowered
    }

    /// Whether `decode` can handle `name`.
    public static func isSupported(_ name: String) -> Bool {
        switch normalize(name) {
        case "utf-8", "us-ascii", "iso-8859-1", "iso-8859-15", "iso-8859-9": return true
        case let other: return String.Encoding(ianaName: other) != nil
        }
    }

    /// The text `bytes` encode in `charset`, or nil when the charset is unknown or
    /// the bytes are invalid in it (legacy multi-byte charsets only).
    public static func decode(_ bytes: some Collection<UInt8>, charset: String) -> String? {
        switch normalize(charset) {
        case "utf-8", "us-ascii":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1":
            if let text = String(bytes: bytes, encoding: .windowsCP1252) { return text }
            return latin1(bytes, overrides: [:])
        case "iso-8859-15":
            return latin1(bytes, overrides: latin9)
        case "iso-8859-9":
            return latin1(bytes, overrides: latin5)
        case let other:
            guard let encoding = String.Encoding(ianaName: other) else { return nil }
            return String(bytes: bytes, encoding: encoding)
        }
    }

    /// Text from bytes of unknown charset: UTF-8 if valid, else windows-1252/Latin-1.
    public static func decodeGuessing(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return decode(bytes, charset: "iso-8859-1") ?? String(decoding: bytes, as: UTF8.self)
    }

    private static func latin1(_ bytes: some Collection<UInt8>, overrides: [UInt8: Unicode.Scalar]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(overrides[byte] ?? Unicode.Scalar(byte))
        }
        return String(scalars)
    }

    /// ISO-8859-15's eight differences from ISO-8859-1.
    private static let latin9: [UInt8: Unicode.Scalar] = [
        0xA4: "\u{20AC}", 0xA6: "\u{0160}", 0xA8: "\u{0161}", 0xB4: "\u{017D}",
        0xB8: "\u{017E}", 0xBC: "\u{0152}", 0xBD: "\u{0153}", 0xBE: "\u{0178}",
    ]

    /// ISO-8859-9's six differences from ISO-8859-1.
    private static let latin5: [UInt8: Unicode.Scalar] = [
        0xD0: "\u{011E}", 0xDD: "\u{0130}", 0xDE: "\u{015E}",
        0xF0: "\u{011F}", 0xFD: "\u{0131}", 0xFE: "\u{015F}",
    ]
}
