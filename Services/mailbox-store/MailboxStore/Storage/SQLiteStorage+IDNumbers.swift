import Foundation
import GRDB
import MessageThreading

/// Message ids numbered (Schema `v9-message-id-numbers`): each id the index holds gets one
/// number store-wide, and a content's numbers (`MessageIDNumbers`' blob) sit in its entry's
/// `id_numbers`, so THREAD=REFERENCES (RFC 5256 §3) reads integers. Numbered from the index
/// columns themselves, so two ids have one number exactly when THREAD's string path would
/// intern them to one (octet equality, case-sensitive: RFC 5256 §3 step 1.A).
extension SQLiteStorage {
    /// The blob of a content's id numbers from its columns as `message_index` holds them
    /// (`SortColumns`: ids parsed, References space-separated); ids seen the first time are
    /// numbered here, in the caller's transaction.
    func idNumbers(_ db: Database, messageID: String?, inReplyTo: String?, references: String?) throws -> [UInt8] {
        let select = try db.cachedStatement(sql: "SELECT number FROM message_id_numbers WHERE message_id = ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO message_id_numbers (message_id) VALUES (?)")
        func number(_ id: String) throws -> Int64 {
            if let known = try Int64.fetchOne(select, arguments: [id]) { return known }
            try insert.execute(arguments: [id])
            return db.lastInsertedRowID
        }
        // Split on the space byte, empty pieces skipped, as THREAD's string path splits.
        let referenced = try (references?.utf8.split(separator: 0x20) ?? []).map { try number(String(decoding: $0, as: UTF8.self)) }
        return MessageIDNumbers.encode(
            messageID: try messageID.map(number), inReplyTo: try inReplyTo.map(number), references: referenced)
    }

    /// Numbers the ids of up to `limit` entries written before the numbering (`id_numbers`
    /// NULL) with content ids above `after`, in one transaction, oldest first. The content id
    /// of the last one numbered; nil when none was left. What is not numbered is what has no
    /// `id_numbers`, so this resumes after a restart wherever it stopped.
    public func numberMessageIDs(after: Int64, limit: Int) async throws -> Int64? {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT content_id, message_id, in_reply_to, refs FROM message_index
                    WHERE content_id > ? AND id_numbers IS NULL ORDER BY content_id LIMIT ?
                    """, arguments: [after, limit])
            let update = try db.cachedStatement(sql: "UPDATE message_index SET id_numbers = ? WHERE content_id = ?")
            for row in rows {
                let numbers = try self.idNumbers(
                    db, messageID: row["message_id"], inReplyTo: row["in_reply_to"], references: row["refs"])
                try update.execute(arguments: [Data(numbers), row["content_id"] as Int64])
            }
            return rows.last?["content_id"]
        }
    }

    /// How many index entries have no id numbers yet (for tests and the benchmark).
    public func unnumberedCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index WHERE id_numbers IS NULL") ?? 0
        }
    }
}
