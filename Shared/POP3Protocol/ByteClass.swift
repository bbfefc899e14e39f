/// Character classes of the POP3 grammar (RFC 1939 §3, RFC 2449 §3, RFC 5234
/// Appendix B.1), on bytes, so the parsers never decode text they will refuse.
enum ByteClass {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let dot: UInt8 = 0x2E
    static let plus: UInt8 = 0x2B
    static let minus: UInt8 = 0x2D
    static let equals: UInt8 = 0x3D
    static let slash: UInt8 = 0x2F
    static let underscore: UInt8 = 0x5F
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let crlf: [UInt8] = [cr, lf]

    static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetDig(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) }
    /// RFC 5234 B.1 CTL, plus DEL.
    static func isControl(_ b: UInt8) -> Bool { b < 0x20 || b == 0x7F }
    /// RFC 5234 B.1 VCHAR: printable ASCII without space.
    static func isVisible(_ b: UInt8) -> Bool { b >= 0x21 && b <= 0x7E }
    /// RFC 4648 §4 base64 alphabet and its pad.
    static func isBase64(_ b: UInt8) -> Bool { isLetDig(b) || b == plus || b == slash || b == equals }

    static func asciiUppercased(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }

    /// The bytes upper-cased (ASCII only) as a String: keywords and mechanisms.
    static func upperString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.map(asciiUppercased), as: UTF8.self)
    }

    /// Whether `bytes` equals `keyword` ignoring ASCII case (`keyword` is upper-case ASCII).
    static func equalsIgnoringCase<C: Collection>(_ bytes: C, _ keyword: String) -> Bool where C.Element == UInt8 {
        bytes.count == keyword.utf8.count && zip(bytes, keyword.utf8).allSatisfy { asciiUppercased($0) == $1 }
    }

    /// What a decimal argument turned out to be.
    enum Decimal: Equatable {
        case value(Int)
        /// Only digits, but larger than allowed.
        case outOfRange
        /// Empty, or a byte that is not a digit (signs included).
        case notANumber
    }

    /// An unsigned decimal number no larger than `max`. Leading zeros are accepted and
    /// never overflow: only significant digits are counted.
    static func decimal<C: Collection>(_ bytes: C, max: Int) -> Decimal where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return .notANumber }
        let significant = bytes.drop { $0 == 0x30 }
        guard significant.count <= String(max).utf8.count else { return .outOfRange }
        let value = significant.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return value <= max ? .value(value) : .outOfRange
    }

    /// The text with CR, LF and NUL replaced by spaces, so text from elsewhere can
    /// never end a line early or smuggle a command.
    static func lineSafe(_ text: String) -> [UInt8] {
        text.utf8.map { $0 == cr || $0 == lf || $0 == 0 ? space : $0 }
    }
}
