import StoreAPI

/// An account's quota (RFC 9208; `StoreOperations.getQuota`, `setQuota`).
extension StoreClient {
    public func quota(of account: String) async throws -> QuotaInfo {
        try await call(StoreOperations.getQuota, path: account)
    }
    /// Replaces both limits; nil removes one.
    public func setQuota(of account: String, storageLimit: Int64?, messageLimit: Int64?) async throws -> QuotaInfo {
        try await call(
            StoreOperations.setQuota, path: account, body: SetQuotaRequest(storageLimit: storageLimit, messageLimit: messageLimit))
    }
}
