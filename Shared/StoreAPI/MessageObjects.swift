/// `GET /v1/accounts/{account}/mailboxes/{id}/messages/objects?uids=&after=&limit=`: what a
/// message is beyond its place in a mailbox — its RFC 8474 object ids and RFC 8514 save date —
/// for IMAP FETCH EMAILID/THREADID/SAVEDATE and the SEARCH keys on them, and for JMAP, which
/// reuses the ids.
public struct MessageObjects: Codable, Sendable, Hashable {
    public var uid: UInt32
    /// EMAILID (RFC 8474 §5.1): one per stored content, so a COPY or MOVE keeps it.
    public var emailID: String
    /// THREADID (RFC 8474 §5.2); absent until the message is threaded (content indexed in the
    /// background after an upgrade), which IMAP answers as NIL.
    public var threadID: String?
    /// SAVEDATE (RFC 8514 §4.1): when the message was put into this mailbox, seconds since 1970.
    public var saveDate: Double
    public init(uid: UInt32, emailID: String, threadID: String?, saveDate: Double) {
        self.uid = uid
        self.emailID = emailID
        self.threadID = threadID
        self.saveDate = saveDate
    }
}

/// A page of `MessageObjects` in UID order; `nextAfter` is set when more follow.
public struct MessageObjectList: Codable, Sendable {
    public var messages: [MessageObjects]
    public var nextAfter: UInt32?
    public init(messages: [MessageObjects], nextAfter: UInt32?) {
        self.messages = messages
        self.nextAfter = nextAfter
    }
}
