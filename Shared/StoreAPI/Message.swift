/// One message as it sits in one mailbox: what IMAP FETCH FLAGS/UID/RFC822.SIZE/INTERNALDATE
/// and POP3 LIST/UIDL need, without the content.
public struct MessageSummary: Codable, Sendable, Hashable {
    public var uid: UInt32
    public var size: Int
    public var flags: [String]
    /// Seconds since 1970, as IMAP INTERNALDATE (RFC 3501 §2.3.3).
    public var internalDate: Double
    public var modSeq: UInt64
    /// Identifies the stored content; the same for every mailbox that references it.
    public var contentID: Int64
    public init(uid: UInt32, size: Int, flags: [String], internalDate: Double, modSeq: UInt64, contentID: Int64) {
        self.uid = uid
        self.size = size
        self.flags = flags
        self.internalDate = internalDate
        self.modSeq = modSeq
        self.contentID = contentID
    }
}

/// `GET /v1/accounts/{account}/mailboxes/{id}/messages?uids=1:*&after=UID&limit=N`
/// answers messages in UID order; `nextAfter` is set when more follow.
public struct MessageList: Codable, Sendable {
    public var mailbox: MailboxInfo
    public var messages: [MessageSummary]
    public var nextAfter: UInt32?
    public init(mailbox: MailboxInfo, messages: [MessageSummary], nextAfter: UInt32?) {
        self.mailbox = mailbox
        self.messages = messages
        self.nextAfter = nextAfter
    }
}
