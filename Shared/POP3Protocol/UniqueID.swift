import LineFraming

/// A message's unique-id for UIDL: `"<uidValidity>.<uid>"`, stable across sessions as
/// long as the mailbox's UIDVALIDITY is (a new UIDVALIDITY means new ids, which is
/// what a client must then see). RFC 1939 §7.
///
/// ```
/// C: UIDL 1
/// S: +OK 1 1700000000.42
/// ```
/// ```
/// unique-id = 1*70 %x21-7E    ; RFC 1939 §7
/// ```
/// Both numbers are written in canonical decimal (no sign, no leading zeros), so
/// `parse(make(v, u))` gives back `(v, u)` and no two pairs share an id.
public struct UniqueID: Sendable, Hashable, CustomStringConvertible {
    public var uidValidity: UInt32
    public var uid: UInt32

    public init(uidValidity: UInt32, uid: UInt32) {
        self.uidValidity = uidValidity
        self.uid = uid
    }

    /// The unique-id of a message: at most 21 characters, all digits and one dot.
    public static func make(uidValidity: UInt32, uid: UInt32) -> String { "\(uidValidity).\(uid)" }

    /// The pair an id made by `make` stands for; nil for any other string.
    public static func parse(_ string: String) -> UniqueID? {
        let parts = string.utf8.split(separator: ByteClass.dot, omittingEmptySubsequences: false)
        guard parts.count == 2, let uidValidity = canonical(parts[0]), let uid = canonical(parts[1]) else { return nil }
        return UniqueID(uidValidity: uidValidity, uid: uid)
    }

    /// Whether `string` is a valid unique-id at all: 1–70 characters in 0x21–0x7E. RFC 1939 §7
    public static func isValid(_ string: String) -> Bool {
        (1...POP3Defaults.uniqueIDLength).contains(string.utf8.count) && string.utf8.allSatisfy(ByteClass.isVisible)
    }

    public var description: String { Self.make(uidValidity: uidValidity, uid: uid) }

    /// A UInt32 in canonical decimal: "0", or digits without a leading zero.
    private static func canonical<C: Collection>(_ digits: C) -> UInt32? where C.Element == UInt8 {
        guard let first = digits.first, digits.count == 1 || first != 0x30 else { return nil }
        guard case .value(let value) = ByteClass.decimal(digits, max: Int(UInt32.max)) else { return nil }
        return UInt32(value)
    }
}
