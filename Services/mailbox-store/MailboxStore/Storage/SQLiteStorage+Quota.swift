import GRDB
import StoreAPI

/// Quotas (RFC 9208): per account, a STORAGE limit in KiB and a MESSAGE limit, none by default.
///
/// Usage is kept by the triggers of `v10-quota` in the transaction of every write that adds or
/// removes a message, so it is exact whichever path wrote. Enforcement compares usage before
/// and after the write, inside it: a write that grew usage past a limit throws, and the
/// transaction (the whole delivery, the whole MULTIAPPEND or COPY) rolls back and stores
/// nothing. The store's writes are serialized (one SQLite writer), so two deliveries cannot
/// both slip under the limit. A write that does not grow usage (MOVE, EXPUNGE) is never refused,
/// even when an administrator has lowered the limit below what is already used.
extension SQLiteStorage {
    public func quota(account: String) async throws -> QuotaInfo {
        try await pool.read { db in try self.quotaRow(db, account: self.accountRow(db, account).id) }
    }

    public func setQuota(account: String, _ request: SetQuotaRequest) async throws -> QuotaInfo {
        try await pool.write { db in
            let owner = try self.accountRow(db, account)
            try db.execute(
                sql: "UPDATE quotas SET storage_limit = ?, message_limit = ? WHERE account_id = ?",
                arguments: [request.storageLimit, request.messageLimit, owner.id])
            return try self.quotaRow(db, account: owner.id)
        }
    }

    func quotaRow(_ db: Database, account: Int64) throws -> QuotaInfo {
        let statement = try db.cachedStatement(
            sql: "SELECT storage_limit, message_limit, storage_used, messages_used FROM quotas WHERE account_id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [account]) else { return QuotaInfo() }
        return QuotaInfo(
            storageLimit: row["storage_limit"], messageLimit: row["message_limit"], storageUsed: row["storage_used"],
            messagesUsed: row["messages_used"])
    }

    /// Whether any of `accounts` (addresses) has no room for one more message: RCPT's check.
    func anyFull(_ db: Database, accounts: [String]) throws -> Bool {
        for address in accounts {
            let owner: AccountRow
            do { owner = try accountRow(db, address) } catch is StoreError { continue }  // no such account
            if try quotaRow(db, account: owner.id).isFull { return true }
        }
        return false
    }

    /// Runs `body`, a write that adds messages to `account`, and refuses it (throwing, so that
    /// the caller's transaction rolls back) when it took usage over a limit.
    func withinQuota<T>(_ db: Database, account: Int64, _ body: () throws -> T) throws -> T {
        let before = try quotaRow(db, account: account)
        let result = try body()
        guard before.storageLimit != nil || before.messageLimit != nil else { return result }
        try Self.checkGrowth(from: before, to: try quotaRow(db, account: account))
        return result
    }

    /// RFC 9208 §4.3: refused with OVERQUOTA. `larger-than-quota` when what was added alone is
    /// more than the limit (it could never fit), else `over-quota` (it fits once the owner
    /// deletes something: RFC 3463 X.2.2, a "persistent transient failure").
    static func checkGrowth(from before: QuotaInfo, to after: QuotaInfo) throws {
        if let limit = after.storageLimit, after.storageUsed > before.storageUsed, after.storageUsed > limit * 1024 {
            if after.storageUsed - before.storageUsed > limit * 1024 { throw largerThanQuota }
            throw overQuota
        }
        if let limit = after.messageLimit, after.messagesUsed > before.messagesUsed, after.messagesUsed > limit {
            if after.messagesUsed - before.messagesUsed > limit { throw largerThanQuota }
            throw overQuota
        }
    }

    static let overQuota = StoreError(.conflict, APIErrorCode.overQuota, "the account is over its quota")
    static let largerThanQuota = StoreError(.contentTooLarge, APIErrorCode.largerThanQuota, "larger than the account's whole quota")
}
