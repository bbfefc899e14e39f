import Foundation
import GRDB
import MessageSearch
import StoreAPI

/// One message as a search sees it: its attributes and, when the keys need them, its stored
/// parse and bytes.
public struct SearchRow: Sendable {
    public var uid: UInt32
    public var flags: [String]
    public var internalDate: Double
    public var size: Int
    public var modSeq: UInt64
    /// The header section (for header keys) or the whole message (BODY, TEXT), when asked.
    public var raw: [UInt8]?
}

/// What of each message a search reads.
public enum SearchContentRead: Sendable {
    case none, header, whole
}

/// What the read model answers for a search: matches it is sure of, and the UIDs the
/// evaluator must decide (content not indexed yet, or what SQL could not answer exactly).
public struct IndexedSearch: Sendable {
    public var matched: [(uid: UInt32, modSeq: UInt64)]
    public var scan: [UInt32]
}

extension SQLiteStorage {
    /// SEARCH on the read model (`IndexQuery`): one SQL statement over the mailbox's rows in
    /// `uids`, or over the FTS matches of a text key the query ANDs (`IndexQuery.driver`).
    /// Rows whose content has no entry yet, or whose texts need `Character` comparison when
    /// the query reads texts, or every row the condition selects when it is not exact, come
    /// back in `scan`.
    public func searchIndexed(account: String, mailboxID: Int64, uids: UIDSet, query: MessageQuery) async throws -> IndexedSearch {
        let condition: IndexQuery
        do {
            condition = try IndexQuery(query)
        } catch {
            throw StoreError.badRequest(APIErrorCode.badRequest, error.description)
        }
        // What the read closure captures must be Sendable: the condition's parts.
        let (exact, readsText, driver, readsEntry) = (condition.exact, condition.readsText, condition.driver, condition.readsEntry)
        // The driver alone needs no second test of each of its matches.
        let conditionSQL = condition.isDriverAlone ? "1" : condition.sql
        let conditionArguments = condition.isDriverAlone ? [] : condition.arguments.map { $0?.databaseValue ?? .null }
        return try await pool.read { db in
            _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            guard let low = set.first?.lowerBound, let high = set.last?.upperBound else {
                return IndexedSearch(matched: [], scan: [])
            }
            let bounds: [DatabaseValue] = [mailboxID.databaseValue, Int64(low).databaseValue, Int64(high).databaseValue]
            let sql: String
            let arguments: [DatabaseValue]
            if let driver {
                sql = Self.drivenSearchSQL(conditionSQL, readsEntry: readsEntry)
                arguments = [driver.databaseValue] + bounds + conditionArguments + bounds
            } else {
                sql = Self.walkingSearchSQL(conditionSQL, readsText: readsText)
                arguments = bounds + conditionArguments
            }
            var result = IndexedSearch(matched: [], scan: [])
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            // Rows come in UID order and the ranges are sorted: one pass over both.
            var range = 0
            while let row = try rows.next() {
                let uid = UInt32(row[0] as Int64)
                while range < set.count, set[range].upperBound < uid { range += 1 }
                guard range < set.count, set[range].contains(uid) else { continue }
                if (row[2] as Bool) || !exact {
                    result.scan.append(uid)
                } else {
                    result.matched.append((uid, UInt64(row[1] as Int64)))
                }
            }
            return result
        }
    }
}

extension SQLiteStorage {
    /// A search from the driving key's FTS matches, each looked up by content, plus the rows
    /// the index cannot answer for (`v12-search-scan`, through its partial index): the cost is
    /// the matches', not the mailbox's. Arguments: the FTS query, (mailbox, low, high), the
    /// condition's, (mailbox, low, high). Columns: UID, MODSEQ, whether to scan.
    static func drivenSearchSQL(_ condition: String, readsEntry: Bool) -> String {
        // A row not to scan has its entry: joined only when the condition reads it.
        """
        SELECT mm.uid, mm.modseq, 0 FROM mailbox_messages mm INDEXED BY mailbox_messages_content
            \(readsEntry ? "JOIN message_index mi ON mi.content_id = mm.content_id" : "")
        WHERE mm.content_id IN (SELECT rowid FROM message_text WHERE message_text MATCH ?)
          AND mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ? AND NOT mm.needs_scan AND (\(condition))
        UNION ALL
        SELECT mm.uid, mm.modseq, 1 FROM mailbox_messages mm INDEXED BY mailbox_messages_scan
        WHERE mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ? AND mm.needs_scan
        ORDER BY 1
        """
    }

    /// A search over every row of the UID range, each joined to its content's entry. What is
    /// scanned: content not indexed, and when the query reads texts also texts that need
    /// characters — the scan mark (`v12-search-scan`), as in `drivenSearchSQL`.
    /// Arguments: (mailbox, low, high), the condition's.
    static func walkingSearchSQL(_ condition: String, readsText: Bool) -> String {
        let scan = readsText ? "mm.needs_scan" : "mi.content_id IS NULL"
        return """
            SELECT mm.uid, mm.modseq, (\(scan)) AS scan
            FROM mailbox_messages mm LEFT JOIN message_index mi ON mi.content_id = mm.content_id
            WHERE mm.mailbox_id = ? AND mm.uid BETWEEN ? AND ?
              AND (\(scan) OR (\(condition)))
            ORDER BY mm.uid
            """
    }
}

extension SQLiteStorage {
    /// The rows of exactly these UIDs (ascending, at most a page), for the evaluator: the
    /// messages the read model left to it, wherever they are in the mailbox.
    public func searchRows(account: String, mailboxID: Int64, exactly uids: [UInt32], content: SearchContentRead) async throws
        -> [SearchRow]
    {
        guard !uids.isEmpty else { return [] }
        return try await pool.read { db in
            _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            let columns =
                "mm.uid, c.size, mm.system_flags, mm.keywords, mm.internal_date, mm.modseq"
                + {
                    switch content {
                    case .none: return ""
                    case .header: return ", substr(c.raw, 1, c.header_size) AS raw"
                    case .whole: return ", c.raw AS raw"
                    }
                }()
            let list = uids.map(String.init).joined(separator: ",")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM mailbox_messages mm JOIN contents c ON c.id = mm.content_id
                    WHERE mm.mailbox_id = ? AND mm.uid IN (\(list)) ORDER BY mm.uid
                    """, arguments: [mailboxID])
            return rows.map { row -> SearchRow in
                SearchRow(
                    uid: UInt32(row["uid"] as Int64),
                    flags: FlagSet(bits: row["system_flags"], keywords: row["keywords"]).names,
                    internalDate: row["internal_date"], size: row["size"], modSeq: UInt64(row["modseq"] as Int64),
                    raw: content == .none ? nil : [UInt8](row["raw"] as Data))
            }
        }
    }
}
