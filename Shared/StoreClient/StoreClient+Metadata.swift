import StoreAPI

/// METADATA entries (RFC 5464): the calls of `StoreOperations.getMetadata`/`setMetadata`.
extension StoreClient {
    /// A mailbox's entries, or the account's server entries when `mailbox` is nil.
    public func metadata(_ account: String, mailbox: Int64?) async throws -> [MetadataEntry] {
        try await call(StoreOperations.getMetadata, path: account, query: mailbox.map { [("mailbox", String($0))] } ?? []).entries
    }
    public func setMetadata(_ account: String, _ request: SetMetadataRequest) async throws {
        _ = try await call(StoreOperations.setMetadata, path: account, body: request)
    }
}
