/// One entry of an account's change log, ordered by `modSeq`.
///
/// Every change to an account takes the next MODSEQ of that account, so one counter orders
/// everything; a mailbox's HIGHESTMODSEQ is the largest MODSEQ among its changes
/// (RFC 7162 only asks that it grow per mailbox).
public struct Change: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A message appeared (delivery, append, copy or move target).
        case added
        /// A message's flags changed; `flags` holds the new set.
        case flags
        /// A message was expunged (or moved away); its UID is gone for good.
        case expunged
        case mailboxCreated = "mailbox-created"
        case mailboxRenamed = "mailbox-renamed"
        case mailboxDeleted = "mailbox-deleted"
        case mailboxSubscription = "mailbox-subscription"
        /// A METADATA entry was set or removed (RFC 5464); `name` is the entry, `mailboxID` 0
        /// for a server entry.
        case metadata
        /// The rights of the account whose feed this is on another account's mailbox
        /// `mailboxID` changed (RFC 4314 SETACL or DELETEACL, for it or for `anyone`): `name` is
        /// `<owner's address>/<mailbox name>` (an address has no `/`), `flags` the rights held
        /// now as one string of letters, none when none are. Gaining or losing `l` is the
        /// mailbox appearing or going for the account (RFC 5465 §5.4).
        case rights = "mailbox-rights"
    }
    public var modSeq: UInt64
    public var kind: Kind
    public var mailboxID: Int64
    public var uid: UInt32?
    public var flags: [String]?
    /// Mailbox name for mailbox changes (the new name on rename).
    public var name: String?
    public init(modSeq: UInt64, kind: Kind, mailboxID: Int64, uid: UInt32? = nil, flags: [String]? = nil, name: String? = nil) {
        self.modSeq = modSeq
        self.kind = kind
        self.mailboxID = mailboxID
        self.uid = uid
        self.flags = flags
        self.name = name
    }
}

/// `GET /v1/accounts/{account}/changes?since=MODSEQ&wait=SECONDS&limit=N`: changes with a
/// MODSEQ above `since`, oldest first. With `wait`, the request is held (long polling) until
/// a change arrives or the time is up. `more` says that `limit` cut the list.
public struct ChangeFeed: Codable, Sendable {
    public var highestModSeq: UInt64
    public var changes: [Change]
    public var more: Bool
    public init(highestModSeq: UInt64, changes: [Change], more: Bool) {
        self.highestModSeq = highestModSeq
        self.changes = changes
        self.more = more
    }
}

/// `POST /v1/watch`: one long poll for many accounts (a gateway's every logged-in user).
/// `accounts` maps each address to the MODSEQ the caller knows; the answer lists those whose
/// newest MODSEQ is higher, at once if any is, else as soon as one changes or `wait` seconds
/// pass (then empty). Unknown accounts are left out.
public struct WatchRequest: Codable, Sendable {
    public var accounts: [String: UInt64]
    public var wait: Int
    public init(accounts: [String: UInt64], wait: Int) {
        self.accounts = accounts
        self.wait = wait
    }
}

public struct WatchResult: Codable, Sendable {
    /// Changed accounts and their newest MODSEQ.
    public var accounts: [String: UInt64]
    public init(accounts: [String: UInt64]) { self.accounts = accounts }
}
