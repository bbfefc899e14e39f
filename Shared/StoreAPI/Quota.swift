/// An account's quota (RFC 9208): its limits and what it uses, `GET/PUT /v1/accounts/{account}/quota`.
///
/// The account is the one quota root: every mailbox of it counts against the same limits
/// (RFC 9208 §3.1). `storageLimit` is in units of 1024 octets, as RFC 9208 §5.1 counts the
/// STORAGE resource; `storageUsed` is exact, in octets (the sum of the sizes of every message
/// in every mailbox of the account, a message in two mailboxes counted twice). A limit that is
/// nil is no limit; an account has none until an administrator sets one (`mailctl quota set`).
///
/// ```json
/// {"storageLimit": 10240, "messageLimit": 1000, "storageUsed": 5321, "messagesUsed": 3}
/// ```
public struct QuotaInfo: Codable, Sendable, Hashable {
    /// KiB (1024 octets). RFC 9208 §5.1
    public var storageLimit: Int64?
    /// Messages. RFC 9208 §5.2
    public var messageLimit: Int64?
    /// Octets.
    public var storageUsed: Int64
    public var messagesUsed: Int64
    public init(storageLimit: Int64? = nil, messageLimit: Int64? = nil, storageUsed: Int64 = 0, messagesUsed: Int64 = 0) {
        self.storageLimit = storageLimit
        self.messageLimit = messageLimit
        self.storageUsed = storageUsed
        self.messagesUsed = messagesUsed
    }

    /// The usage in KiB as RFC 9208 §5.1 reports it: rounded up, so that a mailbox holding
    /// anything never reads as empty.
    public var storageUsedKiB: Int64 { (storageUsed + 1023) / 1024 }

    /// Whether not even one more message (of any size) fits: what `RCPT TO` can tell before
    /// the message is known.
    public var isFull: Bool {
        if let limit = storageLimit, storageUsed >= limit * 1024 { return true }
        if let limit = messageLimit, messagesUsed >= limit { return true }
        return false
    }
}

/// `PUT /v1/accounts/{account}/quota`: the limits, replacing both; one left out (nil) is none.
public struct SetQuotaRequest: Codable, Sendable, Hashable {
    public var storageLimit: Int64?
    public var messageLimit: Int64?
    public init(storageLimit: Int64? = nil, messageLimit: Int64? = nil) {
        self.storageLimit = storageLimit
        self.messageLimit = messageLimit
    }
}
