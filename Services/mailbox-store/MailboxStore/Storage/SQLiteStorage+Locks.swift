import Foundation
import GRDB
import StoreAPI

/// Leases on an account (the POP3 maildrop lock), one writer transaction each, so two gateways
/// racing for the same maildrop cannot both win.
extension SQLiteStorage {
    public func acquireLock(account: String, name: String, owner: String, ttl: Double) async throws -> LockLease? {
        let time = now()
        return try await pool.write { db in
            let holder = try self.accountRow(db, account)
            if let expires = try Double.fetchOne(
                db, sql: "SELECT expires_at FROM locks WHERE account_id = ? AND name = ?",
                arguments: [holder.id, name]), expires > time
            {
                return nil
            }
            let token = UUID().uuidString.lowercased()
            try db.execute(
                sql: """
                    INSERT INTO locks (account_id, name, token, owner, expires_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(account_id, name) DO UPDATE SET token = excluded.token, owner = excluded.owner, expires_at = excluded.expires_at
                    """, arguments: [holder.id, name, token, owner, time + ttl])
            return LockLease(name: name, token: token, owner: owner, expiresAt: time + ttl)
        }
    }

    public func renewLock(account: String, name: String, token: String, ttl: Double) async throws -> LockLease? {
        let time = now()
        return try await pool.write { db in
            let holder = try self.accountRow(db, account)
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT owner, expires_at FROM locks WHERE account_id = ? AND name = ? AND token = ?",
                    arguments: [holder.id, name, token])
            else { return nil }
            // An expired lease that nobody took yet may still be renewed: nothing happened
            // in between that the holder could have missed.
            let owner: String = row["owner"]
            try db.execute(
                sql: "UPDATE locks SET expires_at = ? WHERE account_id = ? AND name = ?",
                arguments: [time + ttl, holder.id, name])
            return LockLease(name: name, token: token, owner: owner, expiresAt: time + ttl)
        }
    }

    public func releaseLock(account: String, name: String, token: String) async throws -> Bool {
        try await pool.write { db in
            let holder = try self.accountRow(db, account)
            try db.execute(sql: "DELETE FROM locks WHERE account_id = ? AND name = ? AND token = ?", arguments: [holder.id, name, token])
            return db.changesCount == 1
        }
    }
}
