import Foundation
import GRDB
import StoreAPI

/// Domains, accounts and aliases, and the recipient lookup that SMTP `RCPT` uses.
extension SQLiteStorage {
    /// Alias chains longer than this are treated as a loop.
    static let maxAliasDepth = 8

    /// A new domain with its postmaster (RFC 5321 §4.5.1): an alias to `postmaster` when one
    /// is given, else to the configured administrator (SQLiteStorage+Postmaster.swift).
    public func createDomain(_ name: String, postmaster: String?) async throws -> DomainInfo {
        let created = now()
        return try await pool.write { db in
            guard try self.domainID(db, name) == nil else {
                throw StoreError.conflict(APIErrorCode.alreadyExists, "domain exists")
            }
            try db.execute(sql: "INSERT INTO domains (name, created_at) VALUES (?, ?)", arguments: [name, created])
            let id = db.lastInsertedRowID
            let administrator = try String.fetchOne(
                db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [Self.administratorSetting])
            guard let target = postmaster ?? administrator else { return DomainInfo(name: name) }
            try self.insertPostmaster(db, domainID: id, domain: name, target: target)
            return DomainInfo(name: name, aliases: 1)
        }
    }

    public func listDomains() async throws -> [DomainInfo] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.name,
                           (SELECT COUNT(*) FROM accounts a WHERE a.domain_id = d.id) AS users,
                           (SELECT COUNT(*) FROM aliases l WHERE l.domain_id = d.id) AS aliases
                    FROM domains d ORDER BY d.name
                    """
            ).map { DomainInfo(name: $0["name"], users: $0["users"], aliases: $0["aliases"]) }
        }
    }

    public func deleteDomain(_ name: String) async throws {
        try await pool.write { db in
            guard let id = try self.domainID(db, name) else {
                throw StoreError.notFound(APIErrorCode.domainNotFound, "no such domain")
            }
            // The postmaster alias goes with the domain: every domain has one.
            let postmaster = Self.postmasterLocalPart + "@" + name
            let used =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT COUNT(*) FROM accounts WHERE domain_id = ?)
                             + (SELECT COUNT(*) FROM aliases WHERE domain_id = ? AND address <> ?)
                        """,
                    arguments: [id, id, postmaster]) ?? 0
            guard used == 0 else {
                throw StoreError.conflict(APIErrorCode.domainNotEmpty, "the domain still has users or aliases; delete them first")
            }
            try db.execute(sql: "DELETE FROM aliases WHERE domain_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM domains WHERE id = ?", arguments: [id])
        }
    }

    public func createAccount(address: String, passwordHash: String, scramKeys: String?, mailboxes: [DefaultMailbox]) async throws
        -> UserInfo
    {
        let created = now()
        try await pool.write { db in
            guard let domain = try self.domainID(db, Validation.domainOf(address)) else {
                throw StoreError.notFound(APIErrorCode.domainNotFound, "the domain is not one of ours; add it first")
            }
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts WHERE address = ?", arguments: [address]) == 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM aliases WHERE address = ?", arguments: [address]) == 0
            else {
                throw StoreError.conflict(APIErrorCode.alreadyExists, "an account or alias with this address exists")
            }
            try db.execute(
                sql: "INSERT INTO accounts (address, domain_id, password_hash, scram_keys, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [address, domain, passwordHash, scramKeys, created])
            let account = db.lastInsertedRowID
            for mailbox in mailboxes {
                _ = try self.insertMailbox(db, account: account, name: mailbox.name, specialUse: mailbox.specialUse, subscribed: true)
            }
        }
        return try await self.account(address) ?? UserInfo(address: address, createdAt: created)
    }

    public func listAccounts(domain: String?) async throws -> [UserInfo] {
        try await pool.read { db in
            var sql = "SELECT a.address, a.created_at FROM accounts a JOIN domains d ON d.id = a.domain_id"
            var arguments: StatementArguments = []
            if let domain {
                sql += " WHERE d.name = ?"
                arguments = [domain]
            }
            sql += " ORDER BY a.address"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                UserInfo(address: $0["address"], createdAt: $0["created_at"])
            }
        }
    }

    public func account(_ address: String) async throws -> UserInfo? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.address, a.created_at,
                               (SELECT COUNT(*) FROM mailboxes m WHERE m.account_id = a.id) AS mailboxes,
                               (SELECT COUNT(*) FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id WHERE m.account_id = a.id) AS messages,
                               (SELECT COALESCE(SUM(c.size), 0) FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id
                                  JOIN contents c ON c.id = mm.content_id WHERE m.account_id = a.id) AS bytes
                        FROM accounts a WHERE a.address = ?
                        """, arguments: [address])
            else { return nil }
            return UserInfo(
                address: row["address"], createdAt: row["created_at"], mailboxes: row["mailboxes"],
                messages: row["messages"], bytes: row["bytes"])
        }
    }

    public func passwordCredential(of address: String) async throws -> PasswordCredential? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT password_hash, credential_version FROM accounts WHERE address = ?", arguments: [address])
                .map { PasswordCredential(hash: $0["password_hash"], version: $0["credential_version"]) }
        }
    }

    public func setPasswordHash(of address: String, to hash: String, scramKeys: String?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE accounts SET password_hash = ?, scram_keys = ?, credential_version = credential_version + 1 WHERE address = ?",
                arguments: [hash, scramKeys, address])
            guard db.changesCount == 1 else { throw StoreError.notFound(APIErrorCode.userNotFound, "no such account") }
        }
    }

    public func scramKeys(of address: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT scram_keys FROM accounts WHERE address = ?", arguments: [address])
        }
    }

    public func addSCRAMKeys(of address: String, _ keys: String, ifPasswordHash hash: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE accounts SET scram_keys = ? WHERE address = ? AND password_hash = ? AND scram_keys IS NULL",
                arguments: [keys, address, hash])
        }
    }

    public func replacePasswordHash(of address: String, with hash: String, ifPasswordHash old: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE accounts SET password_hash = ? WHERE address = ? AND password_hash = ?", arguments: [hash, address, old])
        }
    }

    public func secret(named name: String) async throws -> [UInt8] {
        let key = "secret_" + name
        if let stored = try await pool.read({ db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }),
            let bytes = Data(base64Encoded: stored)
        {
            return Array(bytes)
        }
        var generator = SystemRandomNumberGenerator()
        let fresh = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        // Two stores starting at once: the first write wins and both read it back.
        let value = try await pool.write { db -> String in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", arguments: [key, fresh])
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) ?? fresh
        }
        return Array(Data(base64Encoded: value) ?? Data())
    }

    public func deleteAccount(_ address: String) async throws {
        try await pool.write { db in
            let account = try self.accountRow(db, address)
            try db.execute(sql: "DELETE FROM accounts WHERE id = ?", arguments: [account.id])
            try self.collectUnreferencedContents(db)
            let heads = self.feedHeads
            db.afterNextTransaction(onCommit: { _ in heads.forgetAccounts() })
        }
    }

    public func setAlias(_ alias: AliasInfo) async throws -> AliasInfo {
        let targets = String(decoding: try JSONEncoder().encode(alias.targets), as: UTF8.self)
        try await pool.write { db in
            guard let domain = try self.domainID(db, Validation.domainOf(alias.address)) else {
                throw StoreError.notFound(APIErrorCode.domainNotFound, "the domain is not one of ours; add it first")
            }
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts WHERE address = ?", arguments: [alias.address]) == 0 else {
                throw StoreError.conflict(APIErrorCode.alreadyExists, "an account with this address exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO aliases (address, domain_id, targets) VALUES (?, ?, ?)
                    ON CONFLICT(address) DO UPDATE SET targets = excluded.targets
                    """, arguments: [alias.address, domain, targets])
        }
        return alias
    }

    public func listAliases(domain: String?) async throws -> [AliasInfo] {
        try await pool.read { db in
            var sql = "SELECT l.address, l.targets FROM aliases l JOIN domains d ON d.id = l.domain_id"
            var arguments: StatementArguments = []
            if let domain {
                sql += " WHERE d.name = ?"
                arguments = [domain]
            }
            sql += " ORDER BY l.address"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let text: String = row["targets"]
                let targets = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
                return AliasInfo(address: row["address"], targets: targets)
            }
        }
    }

    public func deleteAlias(_ address: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM aliases WHERE address = ?", arguments: [address])
            guard db.changesCount == 1 else { throw StoreError.notFound(APIErrorCode.aliasNotFound, "no such alias") }
        }
    }

    public func lookupRecipient(_ address: String) async throws -> RecipientInfo {
        try await pool.read { db in
            var info = try self.expand(db, address)
            // RCPT's early answer (RFC 9208; SMTP 452 4.2.2); delivery checks again exactly.
            if try self.anyFull(db, accounts: info.accounts) { info.overQuota = true }
            return info
        }
    }

    /// Follows aliases (to a bounded depth) down to local accounts and remote addresses.
    func expand(_ db: Database, _ address: String) throws -> RecipientInfo {
        let domain = Validation.domainOf(address)
        guard try domainID(db, domain) != nil else {
            return RecipientInfo(address: address, local: false, exists: false)
        }
        var accounts: [String] = []
        var remote: [String] = []
        var seen: Set<String> = []
        var exists = false
        func visit(_ target: String, depth: Int) throws {
            guard depth <= Self.maxAliasDepth, seen.insert(target).inserted else { return }
            let targetDomain = Validation.domainOf(target)
            guard try domainID(db, targetDomain) != nil else {
                remote.append(target)
                return
            }
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts WHERE address = ?", arguments: [target]) == 1 {
                accounts.append(target)
                if depth == 0 { exists = true }
                return
            }
            if let text = try String.fetchOne(db, sql: "SELECT targets FROM aliases WHERE address = ?", arguments: [target]) {
                if depth == 0 { exists = true }
                for next in (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [] {
                    try visit(next, depth: depth + 1)
                }
            }
        }
        try visit(address, depth: 0)
        // RFC 5321 §4.5.1: postmaster@ every domain of ours exists, alias or not.
        // An alias whose targets are all gone counts as none.
        if accounts.isEmpty, remote.isEmpty, address == Self.postmasterLocalPart + "@" + domain,
            let target = try defaultPostmaster(db, domain: domain)
        {
            exists = true
            try visit(target, depth: 1)
        }
        return RecipientInfo(address: address, local: true, exists: exists, accounts: accounts, remote: remote)
    }

    /// Content that no mailbox and no queue entry references any more is deleted.
    func collectUnreferencedContents(_ db: Database, candidates: [Int64]? = nil) throws {
        if let candidates {
            for id in Set(candidates) {
                try db.execute(
                    sql: """
                        DELETE FROM contents WHERE id = ?
                          AND NOT EXISTS (SELECT 1 FROM mailbox_messages WHERE content_id = ?)
                          AND NOT EXISTS (SELECT 1 FROM queue_messages WHERE content_id = ?)
                        """, arguments: [id, id, id])
            }
        } else {
            try db.execute(
                sql: """
                    DELETE FROM contents
                    WHERE NOT EXISTS (SELECT 1 FROM mailbox_messages mm WHERE mm.content_id = contents.id)
                      AND NOT EXISTS (SELECT 1 FROM queue_messages q WHERE q.content_id = contents.id)
                    """)
        }
    }

    /// Every request names its account; its id is read once (`FeedHeads`).
    public func accountID(_ address: String) async throws -> Int64? {
        if let known = feedHeads.id(address) { return known }
        let ticket = feedHeads.ticket(address)
        let id = try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM accounts WHERE address = ?", arguments: [address])
        }
        if let id { feedHeads.record(address, id: id, head: nil, ticket) }
        return id
    }
}
