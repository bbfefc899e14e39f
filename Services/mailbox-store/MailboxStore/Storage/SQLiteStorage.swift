import Foundation
import GRDB
import StoreAPI

/// `MailStorage` on SQLite through GRDB: one file in the data directory, WAL journal,
/// `synchronous=FULL`, so a committed transaction survives a crash or a power cut.
///
/// GRDB serialises writes on one connection; every operation that changes more than one row
/// is one transaction, so readers never see half of it.
public final class SQLiteStorage: MailStorage {
    let pool: DatabasePool
    let now: @Sendable () -> Double
    /// Account ids and feed heads known without a read.
    let feedHeads = FeedHeads()

    /// Opens (creating if needed) `<directory>/store.sqlite` and migrates it.
    public init(directory: String, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = OFF")
            // Reading pages through read(2) into each connection's small cache (2 MiB by
            // default) was the largest cost of the IMAP command mix (kernel copies in the
            // store's profile). Not mmap: the file grows at each checkpoint, and every
            // connection then maps it again (page-table work that cost more than the copies).
            try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
        }
        pool = try DatabasePool(path: (directory as NSString).appendingPathComponent("store.sqlite"), configuration: config)
        // GRDB sets synchronous=NORMAL on the WAL writer after prepareDatabase; durability
        // needs FULL, so set it once the pool is open (SWIFT-NOTES.md).
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        self.now = now
        try Schema.migrator.migrate(pool)
    }

    /// KiB of decoded pages each connection keeps (SQLite's `cache_size`).
    static let cacheKiB = 16 * 1024

    /// The `synchronous` setting of the writer connection (2 = FULL), for tests.
    public func synchronousSetting() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    public func ping() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    // MARK: Helpers shared by the extensions

    struct AccountRow {
        var id: Int64
        var address: String
    }

    func accountRow(_ db: Database, _ address: String) throws -> AccountRow {
        // Cached: every request names its account, and compiling the statement each time
        // showed in the store's profile.
        let statement = try db.cachedStatement(sql: "SELECT id, address FROM accounts WHERE address = ?")
        guard let row = try Row.fetchOne(statement, arguments: [address]) else {
            throw StoreError.notFound(APIErrorCode.userNotFound, "no such account")
        }
        return AccountRow(id: row["id"], address: row["address"])
    }

    /// Takes the account's next MODSEQ: one counter orders every change of the account.
    /// The statements here and in `logChange` run once per message a COPY or EXPUNGE changes
    /// (a STORE takes its MODSEQs together, `takeModSeqs`): cached, as compiling them each
    /// time showed in the store's profile.
    func nextModSeq(_ db: Database, account: Int64) throws -> Int64 {
        try advanceModSeq(db, account: account, by: 1)
    }

    /// Moves the account's counter `count` on: the new head.
    private func advanceModSeq(_ db: Database, account: Int64, by count: Int) throws -> Int64 {
        // Once the transaction is durable (or gone), the account's cached feed head is stale.
        if feedHeads.touch(account) {
            let heads = feedHeads
            db.afterNextTransaction(onCommit: { _ in heads.settle(committed: true) }, onRollback: { _ in heads.settle(committed: false) })
        }
        try db.cachedStatement(sql: "UPDATE accounts SET modseq = modseq + ? WHERE id = ?").execute(arguments: [count, account])
        return Int64(try feedHead(db, account: account))
    }

    /// The account's newest MODSEQ: where its change feed ends.
    func feedHead(_ db: Database, account: Int64) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db.cachedStatement(sql: "SELECT modseq FROM accounts WHERE id = ?"), arguments: [account]) ?? 0)
    }

    /// Appends to the change log and raises the mailbox's HIGHESTMODSEQ.
    func logChange(
        _ db: Database, account: Int64, kind: Change.Kind, mailbox: Int64,
        uid: Int64? = nil, flags: [String]? = nil, name: String? = nil
    ) throws -> Int64 {
        let modseq = try takeModSeqs(db, account: account, mailbox: mailbox, count: 1)
        try insertChange(db, account: account, modSeq: modseq, kind: kind, mailbox: mailbox, uid: uid, flags: flags, name: name)
        return modseq
    }

    /// Takes `count` (at least one) consecutive MODSEQs of the account (the first is answered)
    /// for changes of `mailbox`, whose HIGHESTMODSEQ becomes the last; the caller logs each
    /// (`insertChange`).
    func takeModSeqs(_ db: Database, account: Int64, mailbox: Int64, count: Int) throws -> Int64 {
        precondition(count > 0, "takes at least one MODSEQ")
        let last = try advanceModSeq(db, account: account, by: count)
        try db.cachedStatement(sql: "UPDATE mailboxes SET highest_modseq = ? WHERE id = ?").execute(arguments: [last, mailbox])
        return last - Int64(count) + 1
    }

    /// One line of the change log, its MODSEQ taken already.
    func insertChange(
        _ db: Database, account: Int64, modSeq: Int64, kind: Change.Kind, mailbox: Int64,
        uid: Int64? = nil, flags: [String]? = nil, name: String? = nil
    ) throws {
        try db.cachedStatement(
            sql: "INSERT INTO changes (account_id, modseq, kind, mailbox_id, uid, flags, name) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [account, modSeq, kind.rawValue, mailbox, uid, flags?.joined(separator: " "), name])
    }

    /// RFC 3501 §2.3.1.1: a UIDVALIDITY must never repeat for a name, even after a delete and
    /// re-create; taking the larger of the clock and the last value plus one guarantees that.
    func newUIDValidity(_ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'last_uidvalidity'") ?? 0
        let next = max(last + 1, Int64(now()) & 0xFFFF_FFFF, 1)
        try db.execute(
            sql: "INSERT INTO settings (key, value) VALUES ('last_uidvalidity', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [String(next)])
        return next
    }

    func domainID(_ db: Database, _ name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM domains WHERE name = ?", arguments: [name])
    }
}

/// System flags as bits plus keywords as a space-separated string, the storage form of a
/// message's flag set.
struct FlagSet: Equatable {
    var bits: Int
    var keywords: [String]

    init(bits: Int, keywords: String) {
        self.bits = bits
        self.keywords = keywords.split(separator: " ").map(String.init)
    }

    /// From client-given flags; invalid ones are the caller's error.
    init(_ flags: [String]) throws {
        bits = 0
        keywords = []
        for flag in flags {
            guard let canonical = MessageFlag.canonical(flag) else {
                throw StoreError.badRequest(APIErrorCode.invalidFlag, "not a storable flag: \(flag.prefix(50))")
            }
            if let bit = MessageFlag.bit(canonical) {
                bits |= bit
            } else if !keywords.contains(where: { $0.lowercased() == canonical.lowercased() }) {
                keywords.append(canonical)
            }
        }
        guard keywords.count <= MessageFlag.maxKeywords else {
            throw StoreError.badRequest(APIErrorCode.invalidFlag, "too many keywords")
        }
    }

    var keywordText: String { keywords.joined(separator: " ") }

    var names: [String] {
        MessageFlag.system.enumerated().filter { bits & (1 << $0.offset) != 0 }.map(\.element) + keywords
    }

    mutating func add(_ other: FlagSet) {
        bits |= other.bits
        for k in other.keywords where !keywords.contains(where: { $0.lowercased() == k.lowercased() }) {
            keywords.append(k)
        }
    }

    mutating func remove(_ other: FlagSet) {
        bits &= ~other.bits
        keywords.removeAll { k in other.keywords.contains { $0.lowercased() == k.lowercased() } }
    }
}
