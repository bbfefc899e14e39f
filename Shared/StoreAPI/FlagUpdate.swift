/// `POST /v1/accounts/{account}/mailboxes/{id}/flags`: IMAP STORE and POP3-style marking.
///
/// `uids` is an IMAP UID set (`1:4,7,10:*`). `unchangedSince` is RFC 7162 §3.1.3: messages whose
/// MODSEQ is higher are left alone and reported in `modified`.
public struct FlagUpdateRequest: Codable, Sendable {
    public enum Operation: String, Codable, Sendable {
        case add, remove, replace
    }
    public var uids: String
    public var operation: Operation
    public var flags: [String]
    public var unchangedSince: UInt64?
    public init(uids: String, operation: Operation, flags: [String], unchangedSince: UInt64? = nil) {
        self.uids = uids
        self.operation = operation
        self.flags = flags
        self.unchangedSince = unchangedSince
    }
}

public struct FlagUpdateResult: Codable, Sendable {
    /// Every message in the set after the update (changed or not), in UID order.
    public var messages: [MessageFlags]
    /// UIDs left alone because of `unchangedSince`.
    public var modified: [UInt32]
    public var highestModSeq: UInt64
    /// The account's change feed just before and just after this update: its changes are the
    /// messages whose `modSeq` is above `feedBefore`, one each. A reader whose feed position
    /// was `feedBefore` can move to `feedAfter` without reading the feed.
    public var feedBefore: UInt64?
    public var feedAfter: UInt64?
    public init(messages: [MessageFlags], modified: [UInt32], highestModSeq: UInt64, feedBefore: UInt64? = nil, feedAfter: UInt64? = nil) {
        self.messages = messages
        self.modified = modified
        self.highestModSeq = highestModSeq
        self.feedBefore = feedBefore
        self.feedAfter = feedAfter
    }
}

public struct MessageFlags: Codable, Sendable, Hashable {
    public var uid: UInt32
    public var flags: [String]
    public var modSeq: UInt64
    public init(uid: UInt32, flags: [String], modSeq: UInt64) {
        self.uid = uid
        self.flags = flags
        self.modSeq = modSeq
    }
}

/// `POST /v1/accounts/{account}/mailboxes/{id}/expunge`: removes the messages in `uids`
/// (all when absent); with `onlyDeleted` (IMAP EXPUNGE) only those flagged `\Deleted`.
public struct ExpungeRequest: Codable, Sendable {
    public var uids: String?
    public var onlyDeleted: Bool
    public init(uids: String? = nil, onlyDeleted: Bool = true) {
        self.uids = uids
        self.onlyDeleted = onlyDeleted
    }
}

public struct ExpungeResult: Codable, Sendable {
    public var expunged: [UInt32]
    public var highestModSeq: UInt64
    public init(expunged: [UInt32], highestModSeq: UInt64) {
        self.expunged = expunged
        self.highestModSeq = highestModSeq
    }
}

/// `POST /v1/accounts/{account}/mailboxes/{id}/copy`: IMAP COPY / MOVE (RFC 6851) with the
/// UIDPLUS mapping (RFC 4315 COPYUID) in the answer.
public struct CopyRequest: Codable, Sendable {
    public var uids: String
    public var targetMailboxID: Int64
    public var move: Bool
    public init(uids: String, targetMailboxID: Int64, move: Bool = false) {
        self.uids = uids
        self.targetMailboxID = targetMailboxID
        self.move = move
    }
}

public struct CopyResult: Codable, Sendable {
    public var uidValidity: UInt32
    /// `[sourceUID, targetUID]` pairs in source UID order.
    public var mapping: [[UInt32]]
    public init(uidValidity: UInt32, mapping: [[UInt32]]) {
        self.uidValidity = uidValidity
        self.mapping = mapping
    }
}
