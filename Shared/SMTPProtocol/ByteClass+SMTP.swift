import LineFraming

/// The SMTP grammar's own character classes (RFC 5321 §4.1.2); the common ones are
/// `LineFraming.ByteClass`'s.
extension ByteClass {
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

    /// An unsigned decimal number of at most `maxDigits` digits, or nil.
    static func decimal<C: Collection>(_ bytes: C, maxDigits: Int = 18) -> Int? where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= maxDigits, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
