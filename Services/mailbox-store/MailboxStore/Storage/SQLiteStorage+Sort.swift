import Foundation
import GRDB
import InternetMessage
import MessageSearch
import MessageThreading
import StoreAPI

/// SORT's answer: a window of the matching UIDs in order, how many matched, their highest MODSEQ.
/// A search condition SQL answers exactly (`IndexQuery`), in a form a read closure can take.
struct SQLCondition: Sendable {
    var sql: String
    var arguments: [DatabaseValue]
    var readsText: Bool
}

public struct SortedWindow: Sendable {
    public var uids: [UInt32]
    public var total: Int
    public var highestModSeq: UInt64?
}

/// SORT and THREAD on the read model (Schema `v8-message-index`): SORT is one ORDER BY over the
/// index columns with SEARCH's condition, THREAD reads each message's ids, base subject and date
/// from them. Content not indexed yet is indexed first, on the spot (the background indexer
/// would get there later).
extension SQLiteStorage {
    /// The mailbox's UIDs in `uids`, with their MODSEQ, in the order of `criteria` (RFC 5256 §3;
    /// ties by UID): what SORT intersects with SEARCH when its criteria need the evaluator.
    public func sortedMessages(account: String, mailboxID: Int64, uids: UIDSet, criteria: [SortKey]) async throws
        -> [(uid: UInt32, modSeq: UInt64)]
    {
        try await indexMissing(account: account, mailboxID: mailboxID)
        return try await pool.read { db in
            _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            guard let low = set.first?.lowerBound, let high = set.last?.upperBound else { return [] }
            var out: [(uid: UInt32, modSeq: UInt64)] = []
            try ColumnReader.each(
                db,
                sql: """
                    SELECT mm.uid, mm.modseq FROM mailbox_messages mm JOIN message_index mi ON mi.content_id = mm.content_id
                    WHERE mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ?
                    ORDER BY \(Self.orderBy(criteria))
                    """, arguments: [mailboxID, Int64(low), Int64(high)]
            ) { row in
                let uid = UInt32(truncatingIfNeeded: row.int64(0))
                if Self.contains(set, uid) { out.append((uid, UInt64(row.int64(1)))) }
            }
            return out
        }
    }

    /// SORT with its search criteria in one statement (RFC 5256 §3; ties by UID): the window
    /// `offset`/`limit` of the matching UIDs in order, their count and highest MODSEQ. `LIMIT`
    /// and `OFFSET` reach SQL, so a page sorts with SQLite's top-N sorter. Nil when SQL cannot
    /// answer the criteria exactly (`IndexQuery.exact`, or texts that need `Character`
    /// comparison): the caller then sorts and searches apart (`sortedMessages`, SEARCH).
    public func sortedWindow(
        account: String, mailboxID: Int64, uids: UIDSet, criteria: [SortKey], query: MessageQuery, offset: Int, limit: Int?
    ) async throws -> SortedWindow? {
        guard let condition = try Self.exactCondition(query) else { return nil }
        return try await withIndexedContent(account: account, mailboxID: mailboxID) {
            try await self.pool.read { db -> Indexed<SortedWindow>? in
                _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
                let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
                guard let selection = try self.selection(db, mailboxID: mailboxID, set: set, condition) else { return nil }
                let from = "FROM mailbox_messages mm LEFT JOIN message_index mi ON mi.content_id = mm.content_id WHERE \(selection.sql)"
                let order = "ORDER BY \(Self.orderBy(criteria))"
                var window = SortedWindow(uids: [], total: 0, highestModSeq: nil)
                guard selection.exactSet && (offset > 0 || limit != nil) else {
                    // Every row in order; a UID set SQL does not hold and the window applied here.
                    var unindexed = false
                    try ColumnReader.each(
                        db, sql: "SELECT mm.uid, mm.modseq, mi.content_id IS NULL \(from) \(order)", arguments: selection.arguments
                    ) { row in
                        let uid = UInt32(truncatingIfNeeded: row.int64(0))
                        guard selection.exactSet || Self.contains(set, uid) else { return }
                        if row.int64(2) != 0 { unindexed = true }
                        window.uids.append(uid)
                        window.highestModSeq = max(window.highestModSeq ?? 0, UInt64(row.int64(1)))
                    }
                    guard !unindexed else { return .unindexed }
                    window.total = window.uids.count
                    if offset > 0 || limit != nil {
                        let start = min(offset, window.total)
                        window.uids = Array(window.uids[start..<(limit.map { start + min($0, window.total - start) } ?? window.total)])
                    }
                    return .answer(window)
                }
                var unindexed = false
                try ColumnReader.each(
                    db, sql: "SELECT count(*), max(mm.modseq), sum(mi.content_id IS NULL) \(from)", arguments: selection.arguments
                ) { row in
                    window.total = Int(row.int64(0))
                    window.highestModSeq = window.total > 0 ? UInt64(row.int64(1)) : nil
                    unindexed = row.int64(2) > 0
                }
                guard !unindexed else { return .unindexed }
                guard offset < window.total, limit != 0 else { return .answer(window) }
                try ColumnReader.each(
                    db, sql: "SELECT mm.uid \(from) \(order) LIMIT ? OFFSET ?",
                    arguments: selection.arguments + [Int64(limit ?? -1), Int64(offset)]
                ) { row in
                    window.uids.append(UInt32(truncatingIfNeeded: row.int64(0)))
                }
                return .answer(window)
            }
        }
    }

    /// A read that found rows whose content has no index entry yet.
    enum Indexed<Answer: Sendable>: Sendable {
        case answer(Answer)
        case unindexed
    }

    /// `read`'s answer; when it met content not indexed yet, that content indexed (on the spot,
    /// the background indexer would get there later) and `read` run again. Reading first and
    /// indexing only when needed spares SORT and THREAD a pass over the mailbox to look for such
    /// content. Nil when `read` gives nil or still meets unindexed content (delivered meanwhile
    /// without an entry: the caller's slower path indexes it).
    func withIndexedContent<Answer: Sendable>(
        account: String, mailboxID: Int64, _ read: @Sendable () async throws -> Indexed<Answer>?
    ) async throws -> Answer? {
        for attempt in 0..<2 {
            if attempt > 0 { try await indexMissing(account: account, mailboxID: mailboxID) }
            switch try await read() {
            case .answer(let answer)?: return answer
            case nil: return nil
            case .unindexed?: continue
            }
        }
        return nil
    }

    /// RFC 5256 §3 criteria as an ORDER BY clause, ties by UID.
    static func orderBy(_ criteria: [SortKey]) -> String {
        (criteria.map { key in orderColumn(key.criterion) + (key.reverse ? " DESC" : "") } + ["mm.uid"]).joined(separator: ", ")
    }

    /// RFC 5256 §3 criteria as columns; DATE is the sent date, the internal date when there is
    /// none (§2.2).
    static func orderColumn(_ criterion: SortKey.Criterion) -> String {
        switch criterion {
        case .arrival: "CAST(mm.internal_date AS INTEGER)"
        case .date: "COALESCE(mi.sent_at, CAST(mm.internal_date AS INTEGER))"
        case .size: "mi.size"
        case .from: "mi.sort_from"
        case .to: "mi.sort_to"
        case .cc: "mi.sort_cc"
        case .subject: "mi.base_subject"
        case .displayFrom: "mi.display_from"
        case .displayTo: "mi.display_to"
        }
    }

    /// What THREAD needs of the mailbox's messages in `uids`, in UID order, as numbers
    /// (`ThreadInput`): read by stepping one statement. Message ids as numbered at delivery
    /// (Schema `v9-message-id-numbers`); when some entry is not numbered yet (written before,
    /// and the background numbering not there yet), read again with the ids as text, interned
    /// from SQLite's bytes, which gives the same threads. Only the messages matching `query`
    /// when SQL answers it exactly; nil when it cannot (the caller then filters by SEARCH).
    public func threadInput(account: String, mailboxID: Int64, uids: UIDSet, query: MessageQuery, messageIDs: Bool = true)
        async throws -> ThreadInput?
    {
        guard let condition = try Self.exactCondition(query) else { return nil }
        return try await withIndexedContent(account: account, mailboxID: mailboxID) {
            try await self.pool.read { db -> Indexed<ThreadInput>? in
                _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
                let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
                guard let selection = try self.selection(db, mailboxID: mailboxID, set: set, condition) else { return nil }
                let span = Int((set.last?.upperBound ?? 0) - (set.first?.lowerBound ?? 0))
                let capacity = min(span + 1, 1 << 20)
                // ORDEREDSUBJECT reads no ids (RFC 5256 §3): NULL columns, nothing interned.
                if !messageIDs { return try Self.threadRows(db, selection, set, capacity: capacity, ids: .unread) }
                if let numbered = try Self.threadRows(db, selection, set, capacity: capacity, ids: .numbers) { return numbered }
                return try Self.threadRows(db, selection, set, capacity: capacity, ids: .text)
            }
        }
    }

    /// How THREAD reads message ids: not at all, as numbers, as text.
    enum ThreadIDs { case unread, numbers, text }

    /// THREAD's rows as `ThreadInput`; nil when reading `.numbers` and an entry has none.
    static func threadRows(
        _ db: Database, _ selection: (sql: String, arguments: StatementArguments, exactSet: Bool), _ set: [ClosedRange<UInt32>],
        capacity: Int, ids: ThreadIDs
    ) throws -> Indexed<ThreadInput>? {
        let columns =
            switch ids {
            case .unread: "NULL, NULL, NULL"
            case .numbers: "mi.id_numbers, NULL, NULL"
            case .text: "mi.message_id, mi.in_reply_to, mi.refs"
            }
        var input = ThreadInput(capacity: capacity)
        var references: [Int32] = []
        var unindexed = false
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let complete = try ColumnReader.eachWhile(
            db,
            sql: """
                SELECT mm.uid, \(columns), mi.base_subject, mi.subject_is_reply,
                    COALESCE(mi.sent_at, CAST(mm.internal_date AS INTEGER)), mi.content_id IS NULL
                FROM mailbox_messages mm LEFT JOIN message_index mi ON mi.content_id = mm.content_id
                WHERE \(selection.sql) ORDER BY mm.uid
                """, arguments: selection.arguments
        ) { row in
            let uid = UInt32(truncatingIfNeeded: row.int64(0))
            guard selection.exactSet || Self.contains(set, uid) else { return true }
            if row.int64(7) != 0 { unindexed = true }
            let subject = input.subjects.number(row.bytes(4) ?? empty)
            let (sent, isReply) = (row.int64(6), row.int64(5) != 0)
            if ids == .numbers && row.int64(7) == 0 {
                // No numbers (written before them) or not readable: the text path instead.
                guard let numbers = row.blob(1) else { return false }
                return input.appendNumbered(uid: uid, sent: sent, isReplyOrForward: isReply, subject: subject, numbers: numbers)
            }
            // Ids are stored parsed (`SortColumns`): References space-separated.
            let messageID = row.bytes(1).map { input.ids.number($0) } ?? -1
            references.removeAll(keepingCapacity: true)
            if let refs = row.bytes(3) {
                var start = 0
                for end in 0...refs.count where end == refs.count || refs[end] == 0x20 {
                    if end > start { references.append(input.ids.number(UnsafeRawBufferPointer(rebasing: refs[start..<end]))) }
                    start = end + 1
                }
            }
            // In-Reply-To counts only without References (RFC 5256 §3 step 1): not
            // interned otherwise, a third fewer lookups.
            let inReplyTo = references.isEmpty ? (row.bytes(2).map { input.ids.number($0) } ?? -1) : -1
            input.append(
                uid: uid, sent: sent, isReplyOrForward: isReply, subject: subject, messageID: messageID, inReplyTo: inReplyTo,
                references: references)
            return true
        }
        guard complete else { return nil }
        return unindexed ? .unindexed : .answer(input)
    }

    /// The rows SORT or THREAD read of `mm` and its entry `mi` (a LEFT JOIN: a row without an
    /// entry comes too, whatever the condition, so the caller sees content not indexed yet):
    /// the mailbox, the UID set (as ranges when they are few, `exactSet`; else its bounds, and
    /// the caller tests each UID) and the search condition. Nil when the condition reads texts
    /// and some selected row needs `Character` comparison (the evaluator's).
    func selection(_ db: Database, mailboxID: Int64, set: [ClosedRange<UInt32>], _ condition: SQLCondition)
        throws -> (sql: String, arguments: StatementArguments, exactSet: Bool)?
    {
        guard let low = set.first?.lowerBound, let high = set.last?.upperBound else { return ("0", [], true) }
        var sql = "mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ?"
        var arguments: StatementArguments = [mailboxID, Int64(low), Int64(high)]
        let exactSet = set.count <= IndexQuery.maxRanges
        if set.count > 1 && exactSet {
            sql += " AND (" + set.map { _ in "mm.uid BETWEEN ? AND ?" }.joined(separator: " OR ") + ")"
            for range in set { arguments += [Int64(range.lowerBound), Int64(range.upperBound)] }
        }
        if condition.readsText {
            let scan = try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM mailbox_messages mm JOIN message_index mi ON mi.content_id = mm.content_id "
                    + "WHERE \(sql) AND mi.needs_characters)", arguments: arguments)
            if scan == true { return nil }
        }
        if condition.sql != "1" {
            sql += " AND (mi.content_id IS NULL OR (\(condition.sql)))"
            arguments += StatementArguments(condition.arguments)
        }
        return (sql, arguments, exactSet)
    }

    /// `query` as SQL (`IndexQuery`) when SQL answers it exactly, nil when the evaluator must
    /// decide some rows; an invalid query is the client's error.
    static func exactCondition(_ query: MessageQuery) throws -> SQLCondition? {
        do {
            let condition = try IndexQuery(query)
            guard condition.exact else { return nil }
            return SQLCondition(
                sql: condition.sql, arguments: condition.arguments.map { $0?.databaseValue ?? .null }, readsText: condition.readsText)
        } catch {
            throw StoreError.badRequest(APIErrorCode.badRequest, error.description)
        }
    }

    /// Indexes the mailbox's content that has no entry yet, a batch at a time. The entry is
    /// looked for by the row's `content_id`, so SQLite tests it before reading the content (by
    /// `c.id` it read every message's bytes first: 150–300 ms for 100,000 messages).
    func indexMissing(account: String, mailboxID: Int64) async throws {
        while true {
            let rows = try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT c.id, c.parse, c.raw FROM mailbox_messages mm JOIN contents c ON c.id = mm.content_id
                        WHERE mm.mailbox_id = ? AND NOT EXISTS (SELECT 1 FROM message_index mi WHERE mi.content_id = mm.content_id)
                        LIMIT 256
                        """, arguments: [mailboxID]
                ).map { row -> (id: Int64, raw: [UInt8], parseJSON: String) in
                    (row["id"] as Int64, [UInt8](row["raw"] as Data), row["parse"] as String)
                }
            }
            guard !rows.isEmpty else { return }
            try await writeIndexEntries(rows.map { Self.indexEntry($0) })
        }
    }

    /// An entry made from stored content (its stored parse, else a fresh one).
    static func indexEntry(_ row: (id: Int64, raw: [UInt8], parseJSON: String)) -> (id: Int64, size: Int, entry: MessageIndexEntry) {
        let parse =
            (try? JSONDecoder().decode(ParsedMessage.self, from: Data(row.parseJSON.utf8))) ?? MessageParser().parse(row.raw)
        return (row.id, row.raw.count, MessageIndexEntry(raw: row.raw, parse: parse))
    }
}
