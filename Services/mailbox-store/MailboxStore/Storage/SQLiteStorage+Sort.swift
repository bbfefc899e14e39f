import Foundation
import GRDB
import InternetMessage
import MessageSearch
import MessageThreading
import StoreAPI

/// SORT and THREAD on the read model (Schema `v8-message-index`): SORT is one ORDER BY over the
/// index columns, THREAD reads each message's ids, base subject and date from them. Content not
/// indexed yet is indexed first, on the spot (the background indexer would get there later).
extension SQLiteStorage {
    /// The mailbox's UIDs in `uids`, with their MODSEQ, in the order of `criteria` (RFC 5256 §3;
    /// ties by UID).
    public func sortedMessages(account: String, mailboxID: Int64, uids: UIDSet, criteria: [SortKey]) async throws
        -> [(uid: UInt32, modSeq: UInt64)]
    {
        try await indexMissing(account: account, mailboxID: mailboxID)
        return try await pool.read { db in
            let owner = try self.accountRow(db, account)
            try self.requireMailbox(db, account: owner.id, id: mailboxID)
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            guard let low = set.first?.lowerBound, let high = set.last?.upperBound else { return [] }
            let order = criteria.map { key in Self.orderColumn(key.criterion) + (key.reverse ? " DESC" : "") } + ["mm.uid"]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT mm.uid, mm.modseq FROM mailbox_messages mm JOIN message_index mi ON mi.content_id = mm.content_id
                    WHERE mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ?
                    ORDER BY \(order.joined(separator: ", "))
                    """, arguments: [mailboxID, Int64(low), Int64(high)])
            var out: [(uid: UInt32, modSeq: UInt64)] = []
            while let row = try rows.next() {
                let uid = UInt32(row[0] as Int64)
                if Self.contains(set, uid) { out.append((uid, UInt64(row[1] as Int64))) }
            }
            return out
        }
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

    /// What THREAD needs of the mailbox's messages in `uids`, in UID order.
    public func threadableMessages(account: String, mailboxID: Int64, uids: UIDSet) async throws
        -> [(message: ThreadableMessage, modSeq: UInt64)]
    {
        try await indexMissing(account: account, mailboxID: mailboxID)
        return try await pool.read { db in
            let owner = try self.accountRow(db, account)
            try self.requireMailbox(db, account: owner.id, id: mailboxID)
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            guard let low = set.first?.lowerBound, let high = set.last?.upperBound else { return [] }
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT mm.uid, mm.modseq, mi.message_id, mi.in_reply_to, mi.refs, mi.base_subject, mi.subject_is_reply,
                        COALESCE(mi.sent_at, CAST(mm.internal_date AS INTEGER))
                    FROM mailbox_messages mm JOIN message_index mi ON mi.content_id = mm.content_id
                    WHERE mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ? ORDER BY mm.uid
                    """, arguments: [mailboxID, Int64(low), Int64(high)])
            var out: [(message: ThreadableMessage, modSeq: UInt64)] = []
            while let row = try rows.next() {
                let uid = UInt32(row[0] as Int64)
                guard Self.contains(set, uid) else { continue }
                let references = (row[4] as String?).map { $0.split(separator: " ").map(String.init) } ?? []
                out.append(
                    (
                        ThreadableMessage(
                            uid: uid, messageID: row[2], inReplyTo: row[3], references: references, baseSubject: row[5],
                            isReplyOrForward: row[6], sent: row[7]),
                        UInt64(row[1] as Int64)
                    ))
            }
            return out
        }
    }

    /// Indexes the mailbox's content that has no entry yet, a batch at a time.
    func indexMissing(account: String, mailboxID: Int64) async throws {
        while true {
            let rows = try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT c.id, c.parse, c.raw FROM mailbox_messages mm JOIN contents c ON c.id = mm.content_id
                        WHERE mm.mailbox_id = ? AND NOT EXISTS (SELECT 1 FROM message_index mi WHERE mi.content_id = c.id)
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
