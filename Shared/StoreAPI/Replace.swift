/// What `replaceMessage` did (IMAP REPLACE, RFC 8508 §3.3): where the new message landed
/// (APPENDUID, RFC 4315 §3) and the old message's UID when it was there to expunge (empty when
/// another session had expunged it already).
public struct ReplaceResult: Codable, Sendable, Hashable {
    public var uidValidity: UInt32
    public var copy: StoredCopy
    public var expunged: [UInt32]
    public init(uidValidity: UInt32, copy: StoredCopy, expunged: [UInt32]) {
        self.uidValidity = uidValidity
        self.copy = copy
        self.expunged = expunged
    }
}
