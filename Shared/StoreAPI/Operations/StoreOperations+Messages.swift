/// The messages of one mailbox: `(account, id)` names the mailbox, `uid` a message in it.
extension StoreOperations {
    public typealias MailboxPath = (account: String, id: Int64)
    public typealias MessagePath = (account: String, id: Int64, uid: UInt32)

    /// JSON by default; `format=text` answers `MessageListText` (see `listMessagesText`).
    public static let listMessages = StoreOperation<MailboxPath, NoBody, MessageList>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/messages", query: ["uids", "after", "limit", "format"])
    /// `listMessages` with `format=text`: the same listing as compact text.
    public static let listMessagesText = listMessages.answering(.messageListText, as: MessageListText.self)
    /// IMAP APPEND: one message into one mailbox, with flags and an internal date.
    public static let appendMessage = StoreOperation<MailboxPath, RawMessage, AppendResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/messages", query: ["flags", "internalDate"], status: 201)
    /// IMAP MULTIAPPEND (RFC 3502): several messages into one mailbox, all or none, in one
    /// transaction. The body is the messages one after another (`AppendBatch`); `sizes`
    /// says where each ends, `messageFlags` and `internalDates` give each its own.
    public static let appendMessages = StoreOperation<MailboxPath, AppendBatch, AppendBatchResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/messages/append", query: ["sizes", "messageFlags", "internalDates"],
        request: .appendBatch, status: 201)
    /// RFC 8474 object ids and RFC 8514 save dates of a mailbox's messages, paged as `listMessages`.
    public static let listMessageObjects = StoreOperation<MailboxPath, NoBody, MessageObjectList>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/messages/objects", query: ["uids", "after", "limit"])
    public static let readMessageBatch = StoreOperation<MailboxPath, MessageBatchRequest, MessageBatchFrames>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/messages/batch", response: .messageBatch)
    public static let getMessageRaw = StoreOperation<MessagePath, NoBody, RawMessage>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/messages/{uid}/raw", query: ["offset", "length"])
    public static let getMessageHeader = StoreOperation<MessagePath, NoBody, RawMessage>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/messages/{uid}/header")
    public static let getMessageParse = StoreOperation<MessagePath, NoBody, StoredJSON>(
        .get, "/v1/accounts/{account}/mailboxes/{id}/messages/{uid}/parse")
    public static let updateFlags = StoreOperation<MailboxPath, FlagUpdateRequest, FlagUpdateResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/flags")
    public static let expungeMessages = StoreOperation<MailboxPath, ExpungeRequest, ExpungeResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/expunge")
    public static let copyMessages = StoreOperation<MailboxPath, CopyRequest, CopyResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/copy")
    /// IMAP4rev1 `\Recent`: claim (or, EXAMINE, read) the messages no session was told of.
    public static let claimRecent = StoreOperation<MailboxPath, RecentClaimRequest, RecentClaim>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/recent")
    public static let searchMessages = StoreOperation<MailboxPath, SearchRequest, SearchResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/search")
    public static let sortMessages = StoreOperation<MailboxPath, SortRequest, SortResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/sort")
    public static let threadMessages = StoreOperation<MailboxPath, ThreadRequest, ThreadResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/thread")
}
