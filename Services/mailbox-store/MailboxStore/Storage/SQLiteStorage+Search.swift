import Foundation
import GRDB
import StoreAPI

/// One message as a search sees it: its attributes and, when the keys need them, its stored
/// parse and bytes.
public struct SearchRow: Sendable {
    /// Whether the UID is in the set asked for (rows between its ranges are read too).
    public var inSet: Bool
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

extension SQLiteStorage {
    /// A page of a mailbox's messages in `uids` after UID `after`, with the header section or
    /// the whole message only when asked (a flags-only search reads no content).
    public func searchRows(
        account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int,
        content: SearchContentRead
    ) async throws -> [SearchRow] {
        try await pool.read { db in
            let owner = try self.accountRow(db, account)
            _ = try self.mailboxRow(db, account: owner.id, id: mailboxID)
            let largest = UInt32(
                try Int64.fetchOne(
                    db, sql: "SELECT MAX(uid) FROM mailbox_messages WHERE mailbox_id = ?",
                    arguments: [mailboxID]) ?? 0)
            let set = uids.resolved(largest: largest)
            guard let low = set.first?.lowerBound, let high = set.last?.upperBound else { return [] }
            let columns =
                "mm.uid, c.size, mm.system_flags, mm.keywords, mm.internal_date, mm.modseq"
                + {
                    switch content {
                    case .none: return ""
                    case .header: return ", substr(c.raw, 1, c.header_size) AS raw"
                    case .whole: return ", c.raw AS raw"
                    }
                }()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM mailbox_messages mm JOIN contents c ON c.id = mm.content_id
                    WHERE mm.mailbox_id = ? AND mm.uid > ? AND mm.uid BETWEEN ? AND ? ORDER BY mm.uid LIMIT ?
                    """, arguments: [mailboxID, Int64(after), Int64(low), Int64(high), limit])
            // Rows between the set's ranges come back too (flagged `inSet: false`), so a page
            // that is short means the end, however sparse the set.
            return rows.map { row -> SearchRow in
                let uid = UInt32(row["uid"] as Int64)
                return SearchRow(
                    inSet: set.contains(where: { $0.contains(uid) }), uid: uid,
                    flags: FlagSet(bits: row["system_flags"], keywords: row["keywords"]).names,
                    internalDate: row["internal_date"], size: row["size"], modSeq: UInt64(row["modseq"] as Int64),
                    raw: content == .none ? nil : [UInt8](row["raw"] as Data))
            }
        }
    }
}
