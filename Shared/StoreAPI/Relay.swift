/// What the queue-relay and the store say to each other about the outbound queue.
///
/// A worker leases due entries (`POST /v1/queue/lease`), reads each message
/// (`GET /v1/queue/{id}/message`), renews the lease while it works (`PUT /v1/queue/{id}/lease`),
/// and reports an outcome per recipient (`POST /v1/queue/{id}/report`). The store then, in one
/// transaction, records the outcomes, sends the delivery status notifications the sender asked
/// for (RFC 3464, from the null sender), and removes the entry when no recipient is left.
public struct LeaseRequest: Codable, Sendable {
    public var worker: String
    /// How many due entries at most.
    public var limit: Int
    /// Seconds until the lease expires unless renewed or reported.
    public var ttl: Int
    public init(worker: String, limit: Int, ttl: Int) {
        self.worker = worker
        self.limit = limit
        self.ttl = ttl
    }
}

/// The outcome of one delivery attempt for one recipient.
public struct RecipientOutcome: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable {
        /// The destination took it (`2xx`).
        case delivered
        /// Permanently refused, or the attempts ran out: the sender is told.
        case failed
        /// Try again later.
        case deferred
    }
    public var address: String
    public var outcome: Outcome
    /// RFC 3463 enhanced status code, e.g. `5.1.1`.
    public var status: String
    /// The remote reply or the local reason, for the DSN's Diagnostic-Code and the logs.
    public var diagnostic: String?
    /// The host that answered (RFC 3464 Remote-MTA).
    public var remoteMTA: String?
    /// For `delivered`: the next hop supports DSN and took over the NOTIFY request, so a
    /// success notice is its to send, not ours (RFC 3461 §5.2.1); otherwise ours says
    /// `relayed` (§5.2.2).
    public var notifyPassedOn: Bool?

    public init(
        address: String, outcome: Outcome, status: String, diagnostic: String? = nil, remoteMTA: String? = nil,
        notifyPassedOn: Bool? = nil
    ) {
        self.address = address
        self.outcome = outcome
        self.status = status
        self.diagnostic = diagnostic
        self.remoteMTA = remoteMTA
        self.notifyPassedOn = notifyPassedOn
    }
}

public struct DeliveryReport: Codable, Sendable {
    public var worker: String
    public var recipients: [RecipientOutcome]
    /// When deferred recipients are due again (seconds since 1970).
    public var retryAt: Double?
    /// Also send a "delayed" notice (RFC 3464 Action: delayed) for the deferred recipients.
    public var delayWarning: Bool?
    public init(worker: String, recipients: [RecipientOutcome], retryAt: Double? = nil, delayWarning: Bool? = nil) {
        self.worker = worker
        self.recipients = recipients
        self.retryAt = retryAt
        self.delayWarning = delayWarning
    }
}

public struct ReportResult: Codable, Sendable {
    /// The entry left the queue: every recipient is done.
    public var removed: Bool
    /// Notices sent to the sender as a result of this report.
    public var notifications: Int
    public init(removed: Bool, notifications: Int) {
        self.removed = removed
        self.notifications = notifications
    }
}

/// `POST /v1/queue/retry`: how many deferred entries were made due now.
public struct QueueRetryResult: Codable, Sendable {
    public var due: Int
    public init(due: Int) { self.due = due }
}

/// `POST /v1/queue/{id}/{action}` for administrators (mailctl queue …).
public enum QueueAdminAction: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Due now.
    case retry
    /// Not leased again until released.
    case hold
    case release
    /// Fail every pending recipient now and tell the sender.
    case bounce

    /// As it is written in the path.
    public var description: String { rawValue }
}
