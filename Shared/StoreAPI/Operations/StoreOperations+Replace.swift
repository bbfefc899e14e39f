/// IMAP REPLACE (RFC 8508): a message appended in place of another, in one transaction.
extension StoreOperations {
    /// The body is the new message; the path names the message it replaces (`uid` in mailbox
    /// `id`); `target` is the mailbox the new one goes into (the same or another). The new
    /// message is stored and the old one expunged together or not at all, and the quota is
    /// checked on what changes in all (RFC 9208 §4.3): a replacement no bigger than the old
    /// message fits an account at its limit.
    public static let replaceMessage = StoreOperation<MessagePath, RawMessage, ReplaceResult>(
        .post, "/v1/accounts/{account}/mailboxes/{id}/messages/{uid}/replace", query: ["target", "flags", "internalDate"],
        status: 201)
}
