import StoreAPI

/// Webmail sessions kept by the store (`StoreOperations.createWebSession` …).
extension StoreClient {
    /// A new session of `account`, whose password the caller has just checked.
    public func createWebSession(_ account: String, ttl: Int) async throws -> WebSession {
        try await call(StoreOperations.createWebSession, path: account, body: WebSessionRequest(ttl: ttl))
    }
    /// The live session with this id, nil when there is none (a malformed id included).
    public func webSession(_ id: String) async throws -> WebSession? {
        guard WebSessionLimits.isWellFormed(id) else { return nil }
        do {
            return try await call(StoreOperations.getWebSession, path: id)
        } catch let error as StoreClientError where error.code == APIErrorCode.sessionNotFound {
            return nil
        }
    }
    /// Ends a session (logout); one already gone is not an error.
    public func deleteWebSession(_ id: String) async throws {
        guard WebSessionLimits.isWellFormed(id) else { return }
        do {
            _ = try await call(StoreOperations.deleteWebSession, path: id)
        } catch let error as StoreClientError where error.code == APIErrorCode.sessionNotFound {}
    }
}
