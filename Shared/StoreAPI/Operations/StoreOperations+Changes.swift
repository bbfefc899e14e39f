/// The change feed, polled or long-polled (Change.swift).
extension StoreOperations {
    public static let getChanges = StoreOperation<String, NoBody, ChangeFeed>(
        .get, "/v1/accounts/{account}/changes", query: ["since", "wait", "limit"], longPoll: true)
    /// One long poll for many accounts: a gateway's logged-in users.
    public static let watchAccounts = StoreOperation<Void, WatchRequest, WatchResult>(.post, "/v1/watch", longPoll: true)
}
