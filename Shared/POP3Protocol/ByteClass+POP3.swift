import LineFraming

/// The POP3 grammar's own character classes (RFC 1939 §3, RFC 2449 §3); the common ones
/// are `LineFraming.ByteClass`'s.
extension ByteClass {
    /// RFC 4648 §4 base64 alphabet and its pad.
    static func isBase64(_ b: UInt8) -> Bool { isLetDig(b) || b == plus || b == slash || b == equals }

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
