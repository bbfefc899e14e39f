/// The outbound queue as `GET /v1/queue` shows it: one entry per accepted message with
/// remote recipients. Queue words are Postfix's (CONVENTIONS.md §9): `deferred` waits for its
/// next attempt, `active` is leased by a relay worker, `hold` waits for an administrator.
public struct QueueEntry: Codable, Sendable, Hashable {
    public var id: Int64
    public var sender: String
    public var createdAt: Double
    public var state: QueueState
    public var nextAttempt: Double
    public var attempts: Int
    public var lastError: String?
    public var size: Int
    public var ret: String?
    public var envid: String?
    /// RFC 6531: the next hop must offer SMTPUTF8.
    public var smtputf8: Bool?
    /// BODY= as submitted: `7BIT`, `8BITMIME`, `BINARYMIME`.
    public var body: String?
    /// A "delayed" notice was already sent.
    public var delayWarned: Bool?
    /// The worker holding it, and until when (for `active` entries).
    public var leaseOwner: String?
    public var leaseExpires: Double?
    public var recipients: [QueueRecipient]

    public init(
        id: Int64, sender: String, createdAt: Double, state: QueueState, nextAttempt: Double, attempts: Int,
        lastError: String?, size: Int, ret: String?, envid: String?, smtputf8: Bool? = nil, body: String? = nil,
        delayWarned: Bool? = nil, leaseOwner: String? = nil, leaseExpires: Double? = nil, recipients: [QueueRecipient]
    ) {
        self.id = id
        self.sender = sender
        self.createdAt = createdAt
        self.state = state
        self.nextAttempt = nextAttempt
        self.attempts = attempts
        self.lastError = lastError
        self.size = size
        self.ret = ret
        self.envid = envid
        self.smtputf8 = smtputf8
        self.body = body
        self.delayWarned = delayWarned
        self.leaseOwner = leaseOwner
        self.leaseExpires = leaseExpires
        self.recipients = recipients
    }
}

public struct QueueRecipient: Codable, Sendable, Hashable {
    public var address: String
    public var domain: String
    public var state: QueueRecipientState
    public var notify: [String]?
    public var orcpt: String?
    public var lastError: String?
    /// The last enhanced status code (RFC 3463) and the host that gave it.
    public var status: String?
    public var remoteMTA: String?

    public init(
        address: String, domain: String, state: QueueRecipientState, notify: [String]?, orcpt: String?, lastError: String?,
        status: String? = nil, remoteMTA: String? = nil
    ) {
        self.address = address
        self.domain = domain
        self.state = state
        self.notify = notify
        self.orcpt = orcpt
        self.lastError = lastError
        self.status = status
        self.remoteMTA = remoteMTA
    }
}

public struct QueueList: Codable, Sendable {
    public var entries: [QueueEntry]
    public init(entries: [QueueEntry]) { self.entries = entries }
}

/// Where a queue entry is (Postfix's words, CONVENTIONS.md §9).
///
/// An unknown value on the wire is a decode error, deliberately: the store, the relay and
/// mailctl are built from one tree, and a worker that acted on a state it does not understand
/// (retried a held entry, say) would do worse than failing loudly.
public enum QueueState: String, Codable, Sendable, CaseIterable {
    /// Waiting for its next attempt.
    case deferred
    /// Leased by a relay worker.
    case active
    /// Waiting for an administrator (`mailctl queue release`).
    case hold
}

/// Where one recipient of a queue entry is. Unknown values are refused as for `QueueState`.
public enum QueueRecipientState: String, Codable, Sendable, CaseIterable {
    /// Still to be delivered.
    case pending
    case delivered
    /// Refused for good, or the attempts ran out (the sender was told).
    case failed
}
