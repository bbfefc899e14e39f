/// A mailbox (IMAP folder) of one account, with the IMAP state that lives in it.
///
/// Names use `/` as the hierarchy delimiter (`Archive/2026`). `id` never changes, even on
/// rename, so API paths use it. `uidValidity`, `uidNext` and `highestModSeq` are RFC 3501
/// §2.3.1.1 and RFC 7162 §3.1 values: UIDs below `uidNext` are never handed out again.
public struct MailboxInfo: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// RFC 6154 attribute without the backslash: `Sent`, `Drafts`, `Trash`, `Junk`, `Archive`…
    public var specialUse: String?
    public var subscribed: Bool
    public var uidValidity: UInt32
    public var uidNext: UInt32
    public var highestModSeq: UInt64
    public var messages: Int
    public var unseen: Int
    public var recent: Int
    public var size: Int
    /// RFC 8474 MAILBOXID: never changes, not even on RENAME, and is never given to another
    /// mailbox (`F` and hex). Absent only from a store older than this field.
    public var objectID: String?
    public init(
        id: Int64, name: String, specialUse: String?, subscribed: Bool, uidValidity: UInt32,
        uidNext: UInt32, highestModSeq: UInt64, messages: Int, unseen: Int, recent: Int = 0, size: Int,
        objectID: String? = nil
    ) {
        self.objectID = objectID
        self.id = id
        self.name = name
        self.specialUse = specialUse
        self.subscribed = subscribed
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.highestModSeq = highestModSeq
        self.messages = messages
        self.unseen = unseen
        self.recent = recent
        self.size = size
    }
}

public struct MailboxList: Codable, Sendable {
    public var mailboxes: [MailboxInfo]
    public init(mailboxes: [MailboxInfo]) { self.mailboxes = mailboxes }
}

/// `POST /v1/accounts/{account}/mailboxes`. Parents that do not exist are created too, and
/// each new mailbox takes the ACL of the nearest one above it (RFC 4314: a shared folder's
/// subfolders are shared alike).
public struct CreateMailboxRequest: Codable, Sendable {
    public var name: String
    public var specialUse: String?
    public var subscribed: Bool?
    /// Create below this mailbox, which may be another account's (needing `k` on it, RFC 4314
    /// §4): `name` is then the full name in its owner's namespace, below the parent's.
    public var parentID: Int64?
    public init(name: String, specialUse: String? = nil, subscribed: Bool? = nil, parentID: Int64? = nil) {
        self.name = name
        self.specialUse = specialUse
        self.subscribed = subscribed
        self.parentID = parentID
    }
}

/// `PATCH /v1/accounts/{account}/mailboxes/{id}`: rename (children move along) and/or
/// change the subscription. Another account's mailbox may be renamed within its owner's
/// namespace with `x` on it and `k` on the new name's nearest existing superior (RFC 4314 §4);
/// its subscription is the owner's to change.
public struct UpdateMailboxRequest: Codable, Sendable {
    public var name: String?
    public var subscribed: Bool?
    public init(name: String? = nil, subscribed: Bool? = nil) {
        self.name = name
        self.subscribed = subscribed
    }
}

/// `GET /v1/accounts/{account}/subscriptions`: every name the account has subscribed to,
/// whether or not a mailbox has it (RFC 9051 §6.3.7), sorted.
public struct SubscriptionList: Codable, Sendable {
    public var names: [String]
    public init(names: [String]) { self.names = names }
}

/// `PUT /v1/accounts/{account}/subscriptions`: IMAP SUBSCRIBE (`subscribed: true`) or
/// UNSUBSCRIBE of a name; no mailbox needs to have it.
public struct SubscriptionRequest: Codable, Sendable {
    public var name: String
    public var subscribed: Bool
    public init(name: String, subscribed: Bool) {
        self.name = name
        self.subscribed = subscribed
    }
}
