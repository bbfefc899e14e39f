/// Character classes of the SMTP grammar (RFC 5321 §4.1.2, RFC 5234 Appendix B.1),
/// on bytes, so the parsers never decode text they will refuse.
enum ByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let at: UInt8 = 0x40
    static let comma: UInt8 = 0x2C
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let equals: UInt8 = 0x3D
    static let plus: UInt8 = 0x2B
    static let hyphen: UInt8 = 0x2D

    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetDig(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    static func isHexDigit(_ b: UInt8) -> Bool { isDigit(b) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66) }
    static func isNonASCII(_ b: UInt8) -> Bool { b >= 0x80 }

    /// RFC 5322 §3.2.3 atext: the bytes of an unquoted local-part atom.
    static func isAtext(_ b: UInt8) -> Bool {
        if isLetDig(b) { return true }
        switch b {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The value of a hex digit, or nil.
    static func hexValue(_ b: UInt8) -> UInt8? {
        if isDigit(b) { return b - 0x30 }
        let lower = b | 0x20
        if lower >= 0x61 && lower <= 0x66 { return lower - 0x61 + 10 }
        return nil
    }

    static func asciiUppercased(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
    static func asciiLowercased(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// The bytes upper-cased (ASCII only) as a String: keywords and verbs.
    static func upperString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.map(asciiUppercased), as: UTF8.self)
    }

    /// Whether `bytes` equals `keyword` ignoring ASCII case (`keyword` is upper-case ASCII).
    static func equalsIgnoringCase<C: Collection>(_ bytes: C, _ keyword: String) -> Bool where C.Element == UInt8 {
        bytes.count == keyword.utf8.count && zip(bytes, keyword.utf8).allSatisfy { asciiUppercased($0) == $1 }
    }

    /// An unsigned decimal number of at most `maxDigits` digits, or nil.
    static func decimal<C: Collection>(_ bytes: C, maxDigits: Int = 18) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= maxDigits, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
