import Foundation
import GRDB
import NIOCore
import StoreAPI

/// One message of a batch read: its summary and what its content costs to send.
public struct BatchEntry: Sendable {
    public var summary: MessageSummary
    public var headerSize: Int
    /// Octets of the stored parse's JSON.
    public var parseLength: Int

    /// Octets of content this entry adds to an answer.
    public func cost(_ content: MessageBatchContent, parse: Bool) -> Int {
        let bytes: Int
        switch content {
        case .none: bytes = 0
        case .header: bytes = headerSize
        case .whole: bytes = summary.size
        }
        return bytes + (parse ? parseLength : 0)
    }
}

/// Batch reads (`POST messages/batch`): the summaries of a UID set in one query, then their
/// parses and bytes written straight from SQLite's row into the answer's buffer, framed as
/// `MessageBatchFrames` — no JSON string, no intermediate `Data` or array.
extension SQLiteStorage {
    /// At most `limit` messages of `uids` above `after`, ascending; the parse's length is
    /// read only when `parse` (it costs reading the parse).
    public func batchEntries(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int, parse: Bool) async throws
        -> [BatchEntry]
    {
        try await pool.read { db in
            _ = try self.authorize(db, account, mailbox: mailboxID, need: .read)
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            guard let low = set.first?.lowerBound, let high = set.last?.upperBound else { return [] }
            // A set of few ranges is said in SQL; a longer one (a FETCH of scattered
            // messages) is one range scan on the primary key, filtered here.
            let few = set.count <= Self.maxSQLRanges
            let ranges = few ? set : [low...high]
            var arguments: StatementArguments = [mailboxID, Int64(after)]
            for range in ranges { arguments += [Int64(range.lowerBound), Int64(range.upperBound)] }
            let condition = ranges.map { _ in "mm.uid BETWEEN ? AND ?" }.joined(separator: " OR ")
            // Cached: the statement is the same for every set of as many ranges, and compiling
            // it cost more than running it.
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT mm.uid, c.size, c.header_size, \(parse ? "length(CAST(c.parse AS BLOB))" : "0") AS parse_length,
                               mm.system_flags, mm.keywords, mm.internal_date, mm.modseq, mm.content_id
                        FROM mailbox_messages mm JOIN contents c ON c.id = mm.content_id
                        WHERE mm.mailbox_id = ? AND mm.uid > ? AND (\(condition)) ORDER BY mm.uid
                        """), arguments: arguments)
            var entries: [BatchEntry] = []
            while entries.count < limit, let row = try rows.next() {
                let uid = UInt32(row["uid"] as Int64)
                guard few || Self.contains(set, uid) else { continue }
                entries.append(
                    BatchEntry(
                        summary: MessageSummary(
                            uid: uid, size: row["size"],
                            flags: FlagSet(bits: row["system_flags"], keywords: row["keywords"]).names,
                            internalDate: row["internal_date"], modSeq: UInt64(row["modseq"] as Int64),
                            contentID: row["content_id"]),
                        headerSize: row["header_size"], parseLength: row["parse_length"] ?? 0))
            }
            return entries
        }
    }

    /// The frames of `entries`, in their order; a content gone meanwhile (its last message
    /// expunged) is left out.
    public func batchFrames(_ entries: [BatchEntry], content: MessageBatchContent, parse: Bool) async throws -> ByteBuffer {
        try await pool.read { db in
            let capacity = entries.reduce(0) { $0 + $1.cost(content, parse: parse) + 64 }
            var buffer = ByteBufferAllocator().buffer(capacity: capacity)
            let bytesColumn: String
            switch content {
            case .none: bytesColumn = "NULL"
            case .header: bytesColumn = "substr(raw, 1, header_size)"
            case .whole: bytesColumn = "raw"
            }
            let statement = try db.cachedStatement(sql: "SELECT \(parse ? "parse" : "NULL"), \(bytesColumn) FROM contents WHERE id = ?")
            for entry in entries {
                let rows = try Row.fetchCursor(statement, arguments: [entry.summary.contentID])
                guard let row = try rows.next() else { continue }
                try row.withUnsafeData(atIndex: 0) { parseData in
                    try row.withUnsafeData(atIndex: 1) { bytes in
                        buffer.writeBytes(
                            MessageBatchFrames.line(entry.summary, parseLength: parseData?.count ?? 0, bytesLength: bytes?.count ?? 0))
                        if let parseData { buffer.writeBytes(parseData) }
                        if let bytes { buffer.writeBytes(bytes) }
                    }
                }
            }
            return buffer
        }
    }
}
