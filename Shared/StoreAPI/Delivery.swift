/// `POST /v1/deliveries?recipient=a@x&recipient=b@y` (local delivery only), or with a
/// `Buzon-Envelope` header (`DeliveryEnvelope`: sender, recipients, relay, DSN), with the raw
/// message as the body (`Content-Type: message/rfc822`) and an `Idempotency-Key` header.
///
/// The store answers only once the message is durable, with one result per recipient: local
/// recipients in their INBOX, remote ones (when the envelope allows relay) in the outbound
/// queue, all in one transaction. The content is stored once and referenced from every
/// receiving mailbox and the queue. A retry with the same key answers the first result again
/// and stores nothing new.
public struct DeliveryResult: Codable, Sendable, Hashable {
    public var contentID: Int64?
    public var size: Int
    public var recipients: [RecipientResult]
    /// The outbound queue entry, when any recipient was queued for relay.
    public var queueID: Int64?
    public init(contentID: Int64?, size: Int, recipients: [RecipientResult], queueID: Int64? = nil) {
        self.contentID = contentID
        self.size = size
        self.recipients = recipients
        self.queueID = queueID
    }
}

public struct RecipientResult: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        /// Stored in every local account the address expands to.
        case delivered
        /// The domain is ours but there is no such account or alias.
        case unknownRecipient = "unknown-recipient"
        /// The domain is not ours and the envelope does not allow relay.
        case notLocal = "not-local"
        /// In the outbound queue for the relay (remote address, or an alias's remote target).
        case queued
    }
    public var recipient: String
    public var status: Status
    public var deliveries: [StoredCopy]
    public init(recipient: String, status: Status, deliveries: [StoredCopy] = []) {
        self.recipient = recipient
        self.status = status
        self.deliveries = deliveries
    }
}

/// Where one copy landed: account, mailbox and the UID it got there.
public struct StoredCopy: Codable, Sendable, Hashable {
    public var account: String
    public var mailboxID: Int64
    public var uid: UInt32
    public var modSeq: UInt64
    public init(account: String, mailboxID: Int64, uid: UInt32, modSeq: UInt64) {
        self.account = account
        self.mailboxID = mailboxID
        self.uid = uid
        self.modSeq = modSeq
    }
}

/// `POST /v1/accounts/{account}/mailboxes/{id}/messages?flags=\Seen&internalDate=…` (IMAP APPEND,
/// a sent copy): stores the body in that one mailbox and answers the copy.
public struct AppendResult: Codable, Sendable, Hashable {
    public var uidValidity: UInt32
    public var copy: StoredCopy
    public init(uidValidity: UInt32, copy: StoredCopy) {
        self.uidValidity = uidValidity
        self.copy = copy
    }
}

/// The body of `appendMessages` (IMAP MULTIAPPEND, RFC 3502): the raw messages one after
/// another, no separator; the query carries, one entry per message in order,
/// `sizes=310,1204` (octets), `messageFlags` (repeated once per message, flags separated by
/// spaces, empty for none) and `internalDates=1700000000,` (seconds since 1970, empty for the
/// time of arrival).
public struct AppendBatch: Sendable {
    public struct Message: Sendable, Hashable {
        public var raw: [UInt8]
        public var flags: [String]
        public var internalDate: Double?
        public init(raw: [UInt8], flags: [String] = [], internalDate: Double? = nil) {
            self.raw = raw
            self.flags = flags
            self.internalDate = internalDate
        }
    }
    /// The most messages in one batch: a MULTIAPPEND's worth, and a bounded query string.
    public static let maxMessages = 100
}

/// What `appendMessages` stored: one copy per message, in the order sent, with consecutive
/// UIDs (nothing else is appended in between: one transaction). RFC 3502 §6.3.11, RFC 4315 §3
public struct AppendBatchResult: Codable, Sendable, Hashable {
    public var uidValidity: UInt32
    public var copies: [StoredCopy]
    public init(uidValidity: UInt32, copies: [StoredCopy]) {
        self.uidValidity = uidValidity
        self.copies = copies
    }
}
