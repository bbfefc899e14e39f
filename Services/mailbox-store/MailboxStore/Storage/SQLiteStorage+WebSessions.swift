import Foundation
import GRDB
import StoreAPI

/// Webmail sessions (WebSession.swift): rows keyed by the SHA-256 of the browser's secret.
extension SQLiteStorage {
    /// How often a used session's end is moved ahead: a page view is then a read, not a write.
    static let webSessionTouchInterval = 60.0

    public func createWebSession(account: String, idHash: [UInt8], csrf: String, ttl: Double) async throws
        -> (account: String, expiresAt: Double)
    {
        let time = now()
        return try await pool.write { db in
            let holder = try self.accountRow(db, account)
            try db.execute(
                sql: "DELETE FROM web_sessions WHERE account_id = ? AND expires_at <= ?", arguments: [holder.id, time])
            try db.execute(
                sql: """
                    INSERT INTO web_sessions (id_hash, account_id, credential_version, csrf, ttl, used_at, expires_at)
                    SELECT ?, id, credential_version, ?, ?, ?, ? FROM accounts WHERE id = ?
                    """, arguments: [Data(idHash), csrf, ttl, time, time + ttl, holder.id])
            return (holder.address, time + ttl)
        }
    }

    public func webSession(idHash: [UInt8]) async throws -> (account: String, csrf: String, expiresAt: Double)? {
        let time = now()
        let key = Data(idHash)
        // The closure answers a Sendable value: GRDB's async `read` takes only those, and one
        // answering a `Row` would pick the blocking `read`, which held an event loop while
        // every reader was busy (a deadlock under 20 webmail users).
        let found = try await pool.read { db -> FoundWebSession? in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT a.address, s.csrf, s.ttl, s.used_at, s.expires_at,
                            s.credential_version = a.credential_version AS current
                        FROM web_sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = ?
                        """), arguments: [key]
            ).map {
                FoundWebSession(
                    account: $0["address"], csrf: $0["csrf"], ttl: $0["ttl"], usedAt: $0["used_at"], expiresAt: $0["expires_at"],
                    current: $0["current"])
            }
        }
        guard let found else { return nil }
        guard found.current, found.expiresAt > time else {
            _ = try await deleteWebSession(idHash: idHash)
            return nil
        }
        guard time - found.usedAt >= Self.webSessionTouchInterval else { return (found.account, found.csrf, found.expiresAt) }
        // Ended meanwhile (logout on another instance): the update finds no row.
        let touched = try await pool.write { db in
            try db.execute(
                sql: "UPDATE web_sessions SET used_at = ?, expires_at = ? WHERE id_hash = ?", arguments: [time, time + found.ttl, key])
            return db.changesCount == 1
        }
        return touched ? (found.account, found.csrf, time + found.ttl) : nil
    }

    struct FoundWebSession: Sendable {
        var account: String
        var csrf: String
        var ttl: Double
        var usedAt: Double
        var expiresAt: Double
        var current: Bool
    }

    public func deleteWebSession(idHash: [UInt8]) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [Data(idHash)])
            return db.changesCount == 1
        }
    }
}
