/// What THREAD knows of one message (RFC 5256 §3).
public struct ThreadableMessage: Sendable, Hashable {
    public var uid: UInt32
    /// The Message-ID field's first valid id (`MessageIDs`), nil when there is none.
    public var messageID: String?
    /// The In-Reply-To field's first valid id.
    public var inReplyTo: String?
    /// The References field's ids in order.
    public var references: [String]
    /// The base subject (RFC 5256 §2.1; its text or its key, both give the same key).
    public var baseSubject: String
    public var isReplyOrForward: Bool
    /// The sent date, seconds since 1970, the internal date when there is no usable Date:
    /// (RFC 5256 §2.2; `SortValue.sentDate`).
    public var sent: Int64

    public init(
        uid: UInt32, messageID: String?, inReplyTo: String?, references: [String], baseSubject: String,
        isReplyOrForward: Bool, sent: Int64
    ) {
        self.uid = uid
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.baseSubject = baseSubject
        self.isReplyOrForward = isReplyOrForward
        self.sent = sent
    }

    /// The values taken from raw header fields (`nil` for a missing field).
    public init(
        uid: UInt32, internalDate: Int64, messageID: String?, inReplyTo: String?, references: String?,
        subject: String?, date: String?
    ) {
        let base = BaseSubject(subject)
        self.init(
            uid: uid, messageID: MessageIDs.first(messageID), inReplyTo: MessageIDs.first(inReplyTo),
            references: MessageIDs.parse(references), baseSubject: base.text, isReplyOrForward: base.isReplyOrForward,
            sent: SortValue.sentDate(date, internalDate: internalDate))
    }
}
