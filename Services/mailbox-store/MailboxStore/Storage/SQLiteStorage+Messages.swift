import Foundation
import GRDB
import StoreAPI

/// Reading and changing the messages of one mailbox: listing, content, flags (IMAP STORE
/// with CONDSTORE), expunge, copy and move (UIDPLUS).
extension SQLiteStorage {
    /// A UID set with more ranges than this is filtered in memory rather than in SQL.
    static let maxSQLRanges = 50

    private func largestUID(_ db: Database, mailbox: Int64) throws -> UInt32 {
        let statement = try db.cachedStatement(sql: "SELECT MAX(uid) FROM mailbox_messages WHERE mailbox_id = ?")
        return UInt32(try Int64.fetchOne(statement, arguments: [mailbox]) ?? 0)
    }

    /// A UID set as the sorted, merged ranges it names in this mailbox (`*` its largest UID).
    func resolvedSet(_ db: Database, mailbox: Int64, _ uids: UIDSet) throws -> [ClosedRange<UInt32>] {
        uids.resolved(largest: try largestUID(db, mailbox: mailbox))
    }

    /// `AND (uid BETWEEN ? AND ?) OR …` for a resolved UID set.
    func uidCondition(_ ranges: [ClosedRange<UInt32>]) -> (sql: String, arguments: StatementArguments) {
        guard !ranges.isEmpty else { return (" AND 0", []) }
        if ranges.count > Self.maxSQLRanges, let first = ranges.first, let last = ranges.last {
            return (" AND uid BETWEEN ? AND ?", [Int64(first.lowerBound), Int64(last.upperBound)])
        }
        let sql = ranges.map { _ in "uid BETWEEN ? AND ?" }.joined(separator: " OR ")
        var arguments: StatementArguments = []
        for r in ranges { arguments += [Int64(r.lowerBound), Int64(r.upperBound)] }
        return (" AND (\(sql))", arguments)
    }

    /// Whether `uid` is in `ranges` (sorted and merged, as `resolvedSet` gives them): a binary search.
    static func contains(_ ranges: [ClosedRange<UInt32>], _ uid: UInt32) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].lowerBound <= uid { low = mid + 1 } else { high = mid }
        }
        return low > 0 && ranges[low - 1].contains(uid)
    }

    /// The UIDs of `mailbox` in `set`, ascending, with their stored flags.
    private func selected(_ db: Database, mailbox: Int64, set: [ClosedRange<UInt32>], extra: String = "") throws -> [Row] {
        let condition = uidCondition(set)
        // Cached: its shapes are few (up to `maxSQLRanges` ranges, two extras), and every
        // STORE, COPY and EXPUNGE compiled it again.
        let statement = try db.cachedStatement(
            sql: """
                SELECT uid, content_id, system_flags, keywords, modseq, internal_date FROM mailbox_messages
                WHERE mailbox_id = ?\(condition.sql)\(extra) ORDER BY uid
                """)
        return try Row.fetchAll(statement, arguments: [mailbox] + condition.arguments)
            .filter { set.count <= Self.maxSQLRanges || Self.contains(set, UInt32($0["uid"] as Int64)) }
    }

    /// A page of the listing: the messages of `uids` above `after`, one more than `limit` to
    /// tell whether another page follows.
    private func listingRows(_ db: Database, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) throws -> AnyCursor<Row> {
        let set = try resolvedSet(db, mailbox: mailboxID, uids)
        let condition = uidCondition(set)
        let statement = try db.cachedStatement(
            sql: """
                SELECT uid, size, system_flags, keywords, internal_date, modseq, content_id FROM mailbox_messages
                WHERE mailbox_id = ? AND uid > ?\(condition.sql) ORDER BY uid LIMIT ?
                """)
        let cursor = try Row.fetchCursor(statement, arguments: [mailboxID, Int64(after)] + condition.arguments + [limit + 1])
        return set.count <= Self.maxSQLRanges ? AnyCursor(cursor) : AnyCursor(cursor.filter { Self.contains(set, UInt32($0[0] as Int64)) })
    }

    public func listMessages(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) async throws -> MessageList {
        try await pool.read { db in
            let owner = try self.authorize(db, account, mailbox: mailboxID, need: .read).owner
            let mailbox = try self.mailboxRow(db, account: owner.id, id: mailboxID)
            let rows = try Array(self.listingRows(db, mailboxID: mailboxID, uids: uids, after: after, limit: limit).map { $0.copy() })
            let page = rows.prefix(limit).map { row in
                MessageSummary(
                    uid: UInt32(row["uid"] as Int64), size: row["size"],
                    flags: FlagSet(bits: row["system_flags"], keywords: row["keywords"]).names,
                    internalDate: row["internal_date"], modSeq: UInt64(row["modseq"] as Int64),
                    contentID: row["content_id"])
            }
            return MessageList(
                mailbox: mailbox, messages: Array(page),
                nextAfter: rows.count > limit ? page.last?.uid : nil)
        }
    }

    /// The same page as `MessageListText`, written from the rows as they are read (no
    /// `MessageSummary` per message, each distinct flag set encoded once).
    public func listMessagesText(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) async throws
        -> MessageListTextPage
    {
        try await pool.read { db in
            _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            var page = MessageListTextPage()
            page.bytes.reserveCapacity(min(limit, 10_000) * 32)
            // Each distinct flag set encoded once: by its bits when it has no keyword (most).
            var systemOnly = [[UInt8]?](repeating: nil, count: 1 << MessageFlag.system.count)
            var withKeywords: [String: [UInt8]] = [:]
            var count = 0
            var last: UInt32 = 0
            let rows = try self.listingRows(db, mailboxID: mailboxID, uids: uids, after: after, limit: limit)
            while let row = try rows.next() {
                guard count < limit else {
                    page.nextAfter = last
                    break
                }
                let bits: Int = row[2]
                let keywords: String = row[3]
                let flags: [UInt8]
                if keywords.isEmpty, systemOnly.indices.contains(bits) {
                    flags = systemOnly[bits] ?? MessageListText.encodedFlags(FlagSet(bits: bits, keywords: "").names)
                    systemOnly[bits] = flags
                } else {
                    let key = "\(bits) \(keywords)"
                    flags = withKeywords[key] ?? MessageListText.encodedFlags(FlagSet(bits: bits, keywords: keywords).names)
                    withKeywords[key] = flags
                }
                last = UInt32(row[0] as Int64)
                MessageListText.appendLine(
                    to: &page.bytes, uid: last, size: row[1], internalDate: row[4], modSeq: UInt64(row[5] as Int64),
                    contentID: row[6], flags: flags)
                count += 1
            }
            return page
        }
    }

    public func content(account: String, mailboxID: Int64, uid: UInt32) async throws -> StoredContent {
        try await pool.read { db in
            _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT c.id, c.size, c.header_size, c.parse FROM mailbox_messages mm JOIN contents c ON c.id = mm.content_id
                        WHERE mm.mailbox_id = ? AND mm.uid = ?
                        """, arguments: [mailboxID, Int64(uid)])
            else {
                throw StoreError.notFound(APIErrorCode.messageNotFound, "no such message")
            }
            return StoredContent(contentID: row["id"], size: row["size"], headerSize: row["header_size"], parseJSON: row["parse"])
        }
    }

    public func rawBytes(contentID: Int64, range: ByteRangeRequest?) async throws -> [UInt8] {
        try await pool.read { db in
            let data: Data?
            if let range {
                // substr() on a blob counts bytes from 1 and reads its start as 32-bit: past
                // the end is made the end, so a start beyond 2^31 cannot wrap to the front.
                data = try Data.fetchOne(
                    db, sql: "SELECT substr(raw, min(?, length(raw) + 1), ?) FROM contents WHERE id = ?",
                    arguments: [range.offset + 1, range.length, contentID])
            } else {
                data = try Data.fetchOne(db, sql: "SELECT raw FROM contents WHERE id = ?", arguments: [contentID])
            }
            guard let data else { throw StoreError.notFound(APIErrorCode.messageNotFound, "no such message") }
            return [UInt8](data)
        }
    }

    public func messageBytes(account: String, mailboxID: Int64, uid: UInt32, range: ByteRangeRequest?) async throws -> [UInt8] {
        let data = try await pool.read { db -> Data? in
            let from = """
                FROM accounts a JOIN mailboxes m ON m.account_id = a.id
                JOIN mailbox_messages mm ON mm.mailbox_id = m.id JOIN contents c ON c.id = mm.content_id
                WHERE a.address = ? AND m.id = ? AND mm.uid = ?
                """
            if let range {
                // substr() on a blob counts bytes from 1 and reads its start as 32-bit: past
                // the end is made the end, so a start beyond 2^31 cannot wrap to the front.
                return try Data.fetchOne(
                    db, sql: "SELECT substr(c.raw, min(?, length(c.raw) + 1), ?) \(from)",
                    arguments: [range.offset + 1, range.length, account, mailboxID, Int64(uid)])
            }
            return try Data.fetchOne(db, sql: "SELECT c.raw \(from)", arguments: [account, mailboxID, Int64(uid)])
        }
        if let data { return [UInt8](data) }
        // Not the account's own: a shared mailbox it may read (RFC 4314 §4), else say which
        // of account, mailbox and message is missing.
        let stored = try await content(account: account, mailboxID: mailboxID, uid: uid)
        return try await rawBytes(contentID: stored.contentID, range: range)
    }

    public func updateFlags(account: String, mailboxID: Int64, _ request: FlagUpdateRequest, uids: UIDSet) async throws -> FlagUpdateResult
    {
        let given = try FlagSet(request.flags)
        return try await pool.write { db in
            let access = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            let owner = access.owner
            // RFC 4314 §4 STORE: \Seen needs s, \Deleted t, the rest w; flags one may not
            // change are left as they are, and only a STORE that may change none fails.
            let permitted = given.allowed(by: access.rights)
            if permitted != given && permitted.isEmpty && !given.isEmpty {
                throw Self.noPermission(MailboxRights.all.subtracting(access.rights).intersection([.seen, .write, .deleteMessage]))
            }
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            let feedBefore = try self.feedHead(db, account: owner.id)
            var messages: [(uid: Int64, flags: FlagSet, modSeq: Int64, changed: Bool)] = []
            var modified: [UInt32] = []
            for row in try self.selected(db, mailbox: mailboxID, set: set) {
                let uid: Int64 = row["uid"]
                let old = FlagSet(bits: row["system_flags"], keywords: row["keywords"])
                let modseq: Int64 = row["modseq"]
                // RFC 7162 §3.1.3: UNCHANGEDSINCE fails for a message changed after it.
                if let since = request.unchangedSince, UInt64(modseq) > since {
                    modified.append(UInt32(uid))
                    continue
                }
                var new = old
                switch request.operation {
                case .add: new.add(permitted)
                case .remove: new.remove(permitted)
                case .replace:
                    new = old.kept(by: access.rights)
                    new.add(permitted)
                }
                messages.append((uid, new, modseq, new != old))
            }
            // One MODSEQ per changed message, in UID order, taken together: the account's
            // counter and the mailbox's HIGHESTMODSEQ are written once per STORE, not per message.
            let changed = messages.count { $0.changed }
            var next = changed > 0 ? try self.takeModSeqs(db, account: owner.id, mailbox: mailboxID, count: changed) : 0
            let feedAfter = changed > 0 ? UInt64(next + Int64(changed) - 1) : feedBefore
            let update = try db.cachedStatement(
                sql: "UPDATE mailbox_messages SET system_flags = ?, keywords = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?")
            for index in messages.indices where messages[index].changed {
                let (uid, flags) = (messages[index].uid, messages[index].flags)
                try self.insertChange(db, account: owner.id, modSeq: next, kind: .flags, mailbox: mailboxID, uid: uid, flags: flags.names)
                try update.execute(arguments: [flags.bits, flags.keywordText, next, mailboxID, uid])
                messages[index].modSeq = next
                next += 1
            }
            let highest = try self.highestModSeq(db, mailbox: mailboxID)
            return FlagUpdateResult(
                messages: messages.map { MessageFlags(uid: UInt32($0.uid), flags: $0.flags.names, modSeq: UInt64($0.modSeq)) },
                modified: modified, highestModSeq: highest, feedBefore: feedBefore, feedAfter: feedAfter)
        }
    }

    public func expunge(account: String, mailboxID: Int64, uids: UIDSet?, onlyDeleted: Bool) async throws -> ExpungeResult {
        try await pool.write { db in
            // RFC 4314 §4 EXPUNGE: e; removing messages not marked \Deleted (REPLACE, POP3) is
            // marking them too: t.
            let need: MailboxRights = onlyDeleted ? [.read, .expunge] : [.read, .deleteMessage, .expunge]
            let owner = try self.authorize(db, account, mailbox: mailboxID, need: need).owner
            let expunged = try self.expungeMessages(db, owner: owner.id, mailbox: mailboxID, uids: uids ?? .all, onlyDeleted: onlyDeleted)
            let highest = try self.highestModSeq(db, mailbox: mailboxID)
            return ExpungeResult(expunged: expunged, highestModSeq: highest)
        }
    }

    /// Expunges the messages of `uids` (only those marked \Deleted when `onlyDeleted`) inside
    /// the caller's write, its rights checked (EXPUNGE's, REPLACE's): the UIDs expunged.
    func expungeMessages(_ db: Database, owner: Int64, mailbox: Int64, uids: UIDSet, onlyDeleted: Bool) throws -> [UInt32] {
        let set = try resolvedSet(db, mailbox: mailbox, uids)
        let rows = try selected(db, mailbox: mailbox, set: set, extra: onlyDeleted ? " AND (system_flags & 8) != 0" : "")
        return try removeMessages(db, account: owner, mailbox: mailbox, rows: rows)
    }

    /// Deletes the rows, logs an expunge for each UID, and drops content nobody holds.
    private func removeMessages(_ db: Database, account: Int64, mailbox: Int64, rows: [Row]) throws -> [UInt32] {
        var expunged: [UInt32] = []
        for row in rows {
            let uid: Int64 = row["uid"]
            try db.cachedStatement(sql: "DELETE FROM mailbox_messages WHERE mailbox_id = ? AND uid = ?").execute(arguments: [mailbox, uid])
            _ = try logChange(db, account: account, kind: .expunged, mailbox: mailbox, uid: uid)
            expunged.append(UInt32(uid))
        }
        try collectUnreferencedContents(db, candidates: rows.map { $0["content_id"] })
        return expunged
    }

    public func copy(account: String, mailboxID: Int64, uids: UIDSet, target: Int64, move: Bool) async throws -> CopyResult {
        try await pool.write { db in
            // RFC 4314 §4 COPY: r on the source, i on the target; RFC 6851 §3.3 MOVE: t and e
            // on the source too. The target may be another account's, shared.
            let actor = try self.accountRow(db, account)
            let source = try self.authorize(db, actor, mailbox: mailboxID, need: move ? [.read, .deleteMessage, .expunge] : .read)
            let into = try self.authorize(db, actor, mailbox: target, need: .insert)
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            if move && target == mailboxID {
                throw StoreError.badRequest(APIErrorCode.badRequest, "cannot move messages into the mailbox they are in")
            }
            // RFC 9208 §4.3: a COPY that does not fit the target owner's quota is refused whole;
            // a MOVE within one account adds nothing and is never refused.
            return try self.withinQuota(db, account: into.owner.id) {
                try self.copyMessages(
                    db, account: source.owner.id, from: mailboxID, uids: set, to: target, move: move,
                    into: into.isOwner && source.isOwner ? nil : (into.owner, into.rights))
            }
        }
    }

    /// Copies keep flags and internal date (RFC 3501 §6.4.7); the target's UIDs ascend in
    /// source order, which is what COPYUID reports (RFC 4315 §3).
    func copyMessages(
        _ db: Database, account: Int64, from source: Int64, uids: [ClosedRange<UInt32>],
        to target: Int64, move: Bool, into shared: (owner: AccountRow, rights: MailboxRights)? = nil
    ) throws -> CopyResult {
        // A shared target's changes are its owner's; its flags those the rights allow setting.
        let owner = shared?.owner ?? AccountRow(id: account, address: "")
        let targetBox = try mailboxRow(db, account: owner.id, id: target)
        let rows = try selected(db, mailbox: source, set: uids)
        var mapping: [[UInt32]] = []
        for row in rows {
            var flags = FlagSet(bits: row["system_flags"], keywords: row["keywords"])
            if let shared { flags = flags.allowed(by: shared.rights) }
            let copy = try insertMessage(
                db, account: owner, mailbox: target, content: row["content_id"],
                flags: flags, internalDate: row["internal_date"])
            mapping.append([UInt32(row["uid"] as Int64), copy.uid])
        }
        if move {
            _ = try removeMessages(db, account: account, mailbox: source, rows: rows)
        }
        return CopyResult(uidValidity: targetBox.uidValidity, mapping: mapping)
    }
}
