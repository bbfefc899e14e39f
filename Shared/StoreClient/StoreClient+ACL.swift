import StoreAPI

/// Access control lists (RFC 4314) and the mailboxes other accounts share; `account` is always
/// the account acting, whose rights the store checks.
extension StoreClient {
    public func getACL(_ account: String, mailbox: Int64) async throws -> ACLList {
        try await call(StoreOperations.getACL, path: (account, mailbox))
    }
    public func setACL(_ account: String, mailbox: Int64, _ request: SetACLRequest) async throws -> ACLList {
        try await call(StoreOperations.setACL, path: (account, mailbox), body: request)
    }
    public func deleteACL(_ account: String, mailbox: Int64, identifier: String) async throws {
        _ = try await call(StoreOperations.deleteACL, path: (account, mailbox, identifier))
    }
    public func myRights(_ account: String, mailbox: Int64) async throws -> MyRights {
        try await call(StoreOperations.myRights, path: (account, mailbox))
    }
    public func sharedMailboxes(_ account: String) async throws -> [SharedMailbox] {
        try await call(StoreOperations.listSharedMailboxes, path: account).mailboxes
    }
}

extension StoreClient {
    /// One mailbox with its counts (NOTIFY's STATUS of a mailbox that changed); another
    /// account's needs a right on it (RFC 4314).
    public func mailbox(_ account: String, id: Int64) async throws -> MailboxInfo {
        try await call(StoreOperations.getMailbox, path: (account, id))
    }
}
