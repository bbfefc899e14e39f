import GRDB
import StoreAPI

/// Subscriptions: names an account has subscribed to, kept apart from its mailboxes because a
/// subscription is to a name (RFC 3501 §6.3.6, RFC 9051 §6.3.7): it may name no mailbox, and
/// the server must not drop it when the mailbox goes.
extension SQLiteStorage {
    func setSubscription(_ db: Database, account: Int64, name: String, subscribed: Bool) throws {
        if subscribed {
            let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES (?, ?)")
            try statement.execute(arguments: [account, name])
        } else {
            let statement = try db.cachedStatement(sql: "DELETE FROM subscriptions WHERE account_id = ? AND name = ?")
            try statement.execute(arguments: [account, name])
        }
    }

    func subscriptionNames(_ db: Database, account: Int64) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM subscriptions WHERE account_id = ? ORDER BY name", arguments: [account])
    }

    public func listSubscriptions(account: String) async throws -> [String] {
        try await pool.read { db in
            try self.subscriptionNames(db, account: try self.accountRow(db, account).id)
        }
    }

    /// SUBSCRIBE / UNSUBSCRIBE by name, whether or not a mailbox has it. A change of an
    /// existing mailbox's subscription is logged as before, so watchers of the feed see it.
    public func updateSubscription(account: String, _ request: SubscriptionRequest) async throws {
        try await pool.write { db in
            let owner = try self.accountRow(db, account)
            let before =
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM subscriptions WHERE account_id = ? AND name = ?", arguments: [owner.id, request.name]) ?? false
            if before != request.subscribed {
                try self.setSubscription(db, account: owner.id, name: request.name, subscribed: request.subscribed)
                if let mailbox = try self.mailboxID(db, account: owner.id, name: request.name) {
                    _ = try self.logChange(db, account: owner.id, kind: .mailboxSubscription, mailbox: mailbox, name: request.name)
                }
            }
        }
    }
}
