/// The change feed, polled or long-polled (Change.swift).
extension StoreOperations {
    /// `reader`: another account of the domain reading this account's feed for the mailboxes
    /// shared with it (`r`); it gets only their changes.
    public static let getChanges = StoreOperation<String, NoBody, ChangeFeed>(
        .get, "/v1/accounts/{account}/changes", query: ["since", "wait", "limit", "reader"], longPoll: true)
    /// One long poll for many accounts: a gateway's logged-in users.
    public static let watchAccounts = StoreOperation<Void, WatchRequest, WatchResult>(.post, "/v1/watch", longPoll: true)
}
