import LineFraming

/// An extended response code: a machine-readable reason in brackets after the status,
/// so a client can tell "wrong password" from "try again later". RFC 2449 §8.
///
/// ```
/// S: -ERR [IN-USE] Mailbox locked by another session
/// S: -ERR [SYS/TEMP] Temporary failure, try again later
/// ```
/// ```
/// resp-code  = "[" resp-level *("/" resp-level) "]"    ; RFC 2449 §3
/// resp-level = 1*rchar
/// rchar      = %x21-2E / %x30-5C / %x5E-7F
/// ```
/// Codes are hierarchical: a client that knows `SYS` but not `SYS/FOO` treats it as
/// `SYS` (RFC 2449 §8), which `isWithin(_:)` answers.
public struct POP3ResponseCode: Sendable, Hashable, CustomStringConvertible {
    /// The levels, upper-case as sent: `["SYS", "TEMP"]`.
    public var levels: [String]

    /// A code from its text, e.g. `"SYS/TEMP"`; nil if it is not a valid resp-code.
    public init?(_ text: String) {
        self.init(parsing: Array(text.utf8)[...])
    }

    /// A code from the bytes between the brackets; nil if they are not a valid resp-code.
    public init?(parsing bytes: ArraySlice<UInt8>) {
        let levels = bytes.split(separator: ByteClass.slash, omittingEmptySubsequences: false)
        guard !levels.isEmpty, levels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(Self.isLevelByte) }) else { return nil }
        self.levels = levels.map { String(decoding: $0, as: UTF8.self) }
    }

    /// `rchar` less DEL, which is a control character. RFC 2449 §3
    static func isLevelByte(_ b: UInt8) -> Bool { ByteClass.isVisible(b) && b != ByteClass.slash && b != ByteClass.closeBracket }

    /// Whether this code is `other` or a refinement of it (`SYS/TEMP` is within `SYS`).
    public func isWithin(_ other: POP3ResponseCode) -> Bool {
        levels.count >= other.levels.count && zip(levels, other.levels).allSatisfy { $0.uppercased() == $1.uppercased() }
    }

    /// The code without brackets: `SYS/TEMP`.
    public var description: String { levels.joined(separator: "/") }

    // MARK: The registered codes

    /// `[IN-USE]`: the maildrop is locked by another session; authentication itself
    /// succeeded, so the client must not ask for a new password. RFC 2449 §8.1
    public static let inUse = POP3ResponseCode(levels: ["IN-USE"])
    /// `[LOGIN-DELAY]`: logging in again so soon is refused by policy. RFC 2449 §8.1
    public static let loginDelay = POP3ResponseCode(levels: ["LOGIN-DELAY"])
    /// `[SYS]`: a server problem, not the user's. RFC 3206 §3
    public static let system = POP3ResponseCode(levels: ["SYS"])
    /// `[SYS/TEMP]`: a transient server problem; retry later. RFC 3206 §3
    public static let systemTemporary = POP3ResponseCode(levels: ["SYS", "TEMP"])
    /// `[SYS/PERM]`: a server problem retrying will not fix; tell the user. RFC 3206 §3
    public static let systemPermanent = POP3ResponseCode(levels: ["SYS", "PERM"])
    /// `[AUTH]`: the credentials were refused (wrong, unknown, or not allowed by
    /// policy); the client may prompt for new ones. RFC 3206 §4
    public static let auth = POP3ResponseCode(levels: ["AUTH"])

    private init(levels: [String]) { self.levels = levels }
}
