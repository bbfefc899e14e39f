import GRDB
import StoreAPI

/// The login policy's counters (`login_failures`): one row per account name, client address
/// or (address, name) pair, counting failures in a window that starts at the first one.
extension SQLiteStorage {
    public func loginFailures(_ keys: [LoginFailureKey]) async throws -> [LoginFailureState?] {
        try await pool.read { db in
            try keys.map { key in
                try Row.fetchOne(
                    db,
                    sql: "SELECT failures, locked_until, window_start, password_mark FROM login_failures WHERE scope = ? AND key = ?",
                    arguments: [key.scope.rawValue, key.key]
                ).map {
                    LoginFailureState(
                        failures: $0["failures"], lockedUntil: $0["locked_until"], windowStart: $0["window_start"],
                        passwordMark: $0["password_mark"])
                }
            }
        }
    }

    public func recordLoginFailures(
        _ keys: [(key: LoginFailureKey, threshold: Int)], passwordMark: String?, now: Double, window: Double, lockout: Double
    ) async throws -> [LoginFailureState] {
        try await pool.write { db in
            try keys.map { key, threshold in
                let scope = key.scope.rawValue
                var failures = 1
                var start = now
                if let row = try Row.fetchOne(
                    db, sql: "SELECT failures, window_start FROM login_failures WHERE scope = ? AND key = ?",
                    arguments: [scope, key.key]),
                    now - (row["window_start"] as Double) < window
                {
                    failures = (row["failures"] as Int) + 1
                    start = row["window_start"]
                }
                let locked: Double? = failures >= threshold ? now + lockout : nil
                let mark = key.scope == .addressAccount ? passwordMark : nil
                try db.execute(
                    sql: """
                        INSERT INTO login_failures (scope, key, account, address, failures, window_start, locked_until, password_mark)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(scope, key) DO UPDATE SET failures = excluded.failures,
                            window_start = excluded.window_start, locked_until = excluded.locked_until,
                            password_mark = excluded.password_mark
                        """, arguments: [scope, key.key, key.account, key.address, failures, start, locked, mark])
                return LoginFailureState(failures: failures, lockedUntil: locked, windowStart: start, passwordMark: mark)
            }
        }
    }

    public func clearLoginFailures(_ keys: [LoginFailureKey]) async throws {
        try await pool.write { db in
            for key in keys {
                try db.execute(sql: "DELETE FROM login_failures WHERE scope = ? AND key = ?", arguments: [key.scope.rawValue, key.key])
            }
        }
    }

    public func listLoginFailures(account: String?, address: String?, now: Double, window: Double) async throws -> [LoginFailureEntry] {
        try await pool.read { db in
            var (conditions, arguments) = Self.loginFailureFilter(account: account, address: address)
            conditions.append("(window_start > ? OR locked_until > ?)")
            _ = arguments.append(contentsOf: [now - window, now])
            // Locked first, then the busiest: what an administrator looks for.
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT scope, account, address, failures, window_start, locked_until FROM login_failures
                    WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY locked_until > ? DESC, failures DESC, scope, key LIMIT 1000
                    """, arguments: arguments + [now]
            ).compactMap { row in
                guard let scope = LoginFailureEntry.Scope(rawValue: row["scope"]) else { return nil }
                let locked: Double? = row["locked_until"]
                return LoginFailureEntry(
                    scope: scope, account: row["account"], address: row["address"], failures: row["failures"],
                    since: row["window_start"], lockedUntil: locked.flatMap { $0 > now ? $0 : nil })
            }
        }
    }

    public func clearLoginFailures(account: String?, address: String?) async throws -> Int {
        try await pool.write { db in
            let (conditions, arguments) = Self.loginFailureFilter(account: account, address: address)
            guard !conditions.isEmpty else { return 0 }
            try db.execute(sql: "DELETE FROM login_failures WHERE \(conditions.joined(separator: " AND "))", arguments: arguments)
            return db.changesCount
        }
    }

    /// The WHERE terms (joined by AND) for an administrator's account and/or address filter.
    static func loginFailureFilter(account: String?, address: String?) -> (conditions: [String], arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let account {
            conditions.append("account = ?")
            _ = arguments.append(contentsOf: [account])
        }
        if let address {
            conditions.append("address = ?")
            _ = arguments.append(contentsOf: [address])
        }
        return (conditions, arguments)
    }

    public func pruneLoginFailures(now: Double, window: Double) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM login_failures WHERE window_start <= ? AND (locked_until IS NULL OR locked_until <= ?)",
                arguments: [now - window, now])
        }
    }
}
