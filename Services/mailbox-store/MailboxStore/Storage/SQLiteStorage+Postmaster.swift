import Foundation
import GRDB
import StoreAPI

/// RFC 5321 §4.5.1: every domain we receive mail for has a `postmaster` (its local part
/// case-insensitive, as every local part here), and the bare `<Postmaster>` is ours too
/// (§4.1.1.3).
///
/// The postmaster is an ordinary alias, `postmaster@<domain>`, that an administrator may point
/// anywhere (`mailctl alias add postmaster@… …`) or replace with an account. It is made
///
/// - with the domain, to the address given with it (`mailctl domain add --postmaster`) or else
///   to the configured administrator (`BUZON_POSTMASTER`);
/// - at start-up, for every domain that has no postmaster, to that administrator when one is
///   configured (domains from before this existed, and ones whose postmaster was deleted).
///   This is not a schema migration because a migration cannot see the configuration.
///
/// A domain with no postmaster row at all (no administrator configured, or the alias
/// deleted) still answers: `postmaster@<domain>` then reaches the administrator, or else the
/// domain's first-created account, so that `RCPT TO:<postmaster@…>` keeps working.
extension SQLiteStorage {
    static let postmasterLocalPart = "postmaster"
    /// The `settings` key under which start-up records the configured administrator.
    static let administratorSetting = "postmaster_administrator"

    public func ensurePostmasters(administrator: String?) throws {
        try pool.write { db in
            if let administrator {
                try db.execute(
                    sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: [Self.administratorSetting, administrator])
                for row in try Row.fetchAll(db, sql: "SELECT id, name FROM domains ORDER BY id") {
                    let domain: String = row["name"]
                    let address = Self.postmasterLocalPart + "@" + domain
                    guard try !self.isAccountOrAlias(db, address) else { continue }
                    try self.insertPostmaster(db, domainID: row["id"], domain: domain, target: administrator)
                }
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE key = ?", arguments: [Self.administratorSetting])
            }
        }
    }

    /// The bare `<Postmaster>`: the postmaster of the primary domain, the first-created one.
    /// Not local-and-existing only when the store has no domain yet.
    public func lookupPostmaster() async throws -> RecipientInfo {
        try await pool.read { db in
            guard let primary = try String.fetchOne(db, sql: "SELECT name FROM domains ORDER BY id LIMIT 1") else {
                return RecipientInfo(address: Self.postmasterLocalPart, local: true, exists: false)
            }
            return try self.expand(db, Self.postmasterLocalPart + "@" + primary)
        }
    }

    func insertPostmaster(_ db: Database, domainID: Int64, domain: String, target: String) throws {
        let targets = String(decoding: try JSONEncoder().encode([target]), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO aliases (address, domain_id, targets) VALUES (?, ?, ?)",
            arguments: [Self.postmasterLocalPart + "@" + domain, domainID, targets])
    }

    func isAccountOrAlias(_ db: Database, _ address: String) throws -> Bool {
        try Int.fetchOne(
            db,
            sql: "SELECT (SELECT COUNT(*) FROM accounts WHERE address = ?) + (SELECT COUNT(*) FROM aliases WHERE address = ?)",
            arguments: [address, address]) ?? 0 > 0
    }

    /// Where `postmaster@<domain>` goes when no account or alias has that address: the
    /// administrator, else the domain's first-created account; nil when there is neither.
    func defaultPostmaster(_ db: Database, domain: String) throws -> String? {
        if let administrator = try String.fetchOne(
            db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.administratorSetting])
        {
            return administrator
        }
        return try String.fetchOne(
            db,
            sql: "SELECT a.address FROM accounts a JOIN domains d ON d.id = a.domain_id WHERE d.name = ? ORDER BY a.id LIMIT 1",
            arguments: [domain])
    }
}
