/// Leases that hold across gateway instances (Lock.swift: the POP3 maildrop lock).
extension StoreOperations {
    public static let acquireLock = StoreOperation<(account: String, name: String), LockRequest, LockLease>(
        .post, "/v1/accounts/{account}/locks/{name}", status: 201)
    public static let renewLock = StoreOperation<(account: String, name: String, token: String), LockRequest, LockLease>(
        .put, "/v1/accounts/{account}/locks/{name}/{token}")
    public static let releaseLock = StoreOperation<(account: String, name: String, token: String), NoBody, NoContent>(
        .delete, "/v1/accounts/{account}/locks/{name}/{token}")
}
