import Foundation
import GRDB
import StoreAPI

/// The change log read side, and the login-failure counters of the login policy.
extension SQLiteStorage {
    public func changes(account: String, since: UInt64, limit: Int) async throws -> ChangeFeed {
        try await pool.read { db in
            let owner = try self.accountRow(db, account)
            let highest = try Int64.fetchOne(db, sql: "SELECT modseq FROM accounts WHERE id = ?", arguments: [owner.id]) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT modseq, kind, mailbox_id, uid, flags, name FROM changes
                    WHERE account_id = ? AND modseq > ? ORDER BY modseq LIMIT ?
                    """, arguments: [owner.id, Int64(clamping: since), limit + 1])
            let changes = rows.prefix(limit).map { row -> Change in
                let uid: Int64? = row["uid"]
                let flags: String? = row["flags"]
                return Change(
                    modSeq: UInt64(row["modseq"] as Int64),
                    kind: Change.Kind(rawValue: row["kind"]) ?? .flags,
                    mailboxID: row["mailbox_id"], uid: uid.map { UInt32($0) },
                    flags: flags.map { $0.split(separator: " ").map(String.init) },
                    name: row["name"])
            }
            return ChangeFeed(highestModSeq: UInt64(highest), changes: Array(changes), more: rows.count > limit)
        }
    }

    public func accountModSeqs(_ addresses: [String]) async throws -> [String: (id: Int64, modSeq: UInt64)] {
        try await pool.read { db in
            var out: [String: (id: Int64, modSeq: UInt64)] = [:]
            // SQLite allows 32,766 parameters; a gateway watches far fewer accounts per chunk.
            for start in stride(from: 0, to: addresses.count, by: 500) {
                let chunk = Array(addresses[start..<min(start + 500, addresses.count)])
                let marks = chunk.map { _ in "?" }.joined(separator: ",")
                for row in try Row.fetchAll(
                    db, sql: "SELECT id, address, modseq FROM accounts WHERE address IN (\(marks))",
                    arguments: StatementArguments(chunk))
                {
                    out[row["address"]] = (row["id"], UInt64(row["modseq"] as Int64))
                }
            }
            return out
        }
    }

    public func loginFailures(scope: String, key: String) async throws -> LoginFailureState? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT failures, locked_until FROM login_failures WHERE scope = ? AND key = ?",
                arguments: [scope, key]
            ).map { LoginFailureState(failures: $0["failures"], lockedUntil: $0["locked_until"]) }
        }
    }

    /// Counts a failure in the current window; reaching `threshold` locks until `now + lockout`.
    public func recordLoginFailure(scope: String, key: String, now: Double, window: Double, threshold: Int, lockout: Double) async throws
        -> LoginFailureState
    {
        try await pool.write { db in
            var failures = 1
            if let row = try Row.fetchOne(
                db, sql: "SELECT failures, window_start FROM login_failures WHERE scope = ? AND key = ?", arguments: [scope, key]),
                now - (row["window_start"] as Double) < window
            {
                failures = (row["failures"] as Int) + 1
                let locked: Double? = failures >= threshold ? now + lockout : nil
                try db.execute(
                    sql: "UPDATE login_failures SET failures = ?, locked_until = ? WHERE scope = ? AND key = ?",
                    arguments: [failures, locked, scope, key])
                return LoginFailureState(failures: failures, lockedUntil: locked)
            }
            let locked: Double? = failures >= threshold ? now + lockout : nil
            try db.execute(
                sql: """
                    INSERT INTO login_failures (scope, key, failures, window_start, locked_until) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(scope, key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until
                    """, arguments: [scope, key, failures, now, locked])
            return LoginFailureState(failures: failures, lockedUntil: locked)
        }
    }

    public func clearLoginFailures(scope: String, key: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE scope = ? AND key = ?", arguments: [scope, key])
        }
    }
}
