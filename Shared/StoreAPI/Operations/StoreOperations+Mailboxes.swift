/// An account's mailboxes.
extension StoreOperations {
    public static let listMailboxes = StoreOperation<String, NoBody, MailboxList>(
        .get, "/v1/accounts/{account}/mailboxes", query: ["counts"])
    public static let createMailbox = StoreOperation<String, CreateMailboxRequest, MailboxInfo>(
        .post, "/v1/accounts/{account}/mailboxes", status: 201)
    public static let getMailbox = StoreOperation<(account: String, id: Int64), NoBody, MailboxInfo>(
        .get, "/v1/accounts/{account}/mailboxes/{id}")
    public static let updateMailbox = StoreOperation<(account: String, id: Int64), UpdateMailboxRequest, MailboxInfo>(
        .patch, "/v1/accounts/{account}/mailboxes/{id}")
    public static let deleteMailbox = StoreOperation<(account: String, id: Int64), NoBody, NoContent>(
        .delete, "/v1/accounts/{account}/mailboxes/{id}")
    /// Subscriptions are to names, not mailboxes (RFC 9051 §6.3.7).
    public static let listSubscriptions = StoreOperation<String, NoBody, SubscriptionList>(
        .get, "/v1/accounts/{account}/subscriptions")
    public static let updateSubscription = StoreOperation<String, SubscriptionRequest, NoContent>(
        .put, "/v1/accounts/{account}/subscriptions")
}

/// METADATA entries (RFC 5464) of a mailbox or of the server (no mailbox).
extension StoreOperations {
    public static let getMetadata = StoreOperation<String, NoBody, MetadataList>(
        .get, "/v1/accounts/{account}/metadata", query: ["mailbox"])
    public static let setMetadata = StoreOperation<String, SetMetadataRequest, NoContent>(
        .post, "/v1/accounts/{account}/metadata")
}
