import Foundation
import GRDB
import InternetMessage
import MessageSearch
import MessageThreading

/// Writing the read model (Schema `v8-message-index`): a content's `MessageIndexEntry` in
/// `message_index` and its folded texts in `message_text`, rowid = content id.
extension SQLiteStorage {
    /// Writes one content's entry inside the caller's transaction (delivery, APPEND, the
    /// background indexer). A content indexed already keeps its entry.
    /// Its statements are cached: one runs per delivery, and the insert into `message_index`
    /// carries the `v12-search-scan` trigger's program, compiled with it.
    func insertIndex(_ db: Database, contentID: Int64, size: Int, _ entry: MessageIndexEntry) throws {
        let indexed = try db.cachedStatement(sql: "SELECT 1 FROM message_index WHERE content_id = ?")
        guard try Int64.fetchOne(indexed, arguments: [contentID]) == nil else { return }
        let keys = SortColumns(entry)
        try db.cachedStatement(
            sql: """
                INSERT INTO message_index (content_id, subject, base_subject, subject_is_reply, sent_at, sent_day, size,
                    message_id, in_reply_to, refs, list_id, has_attachment, sort_from, sort_to, sort_cc, display_from,
                    display_to, needs_characters, id_numbers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                contentID, entry.subjectText, keys.baseSubject, keys.isReply, entry.sentAt, entry.sentDay, size,
                keys.messageID, keys.inReplyTo, keys.references, entry.listID, entry.hasAttachment, keys.from,
                keys.to, keys.cc, keys.displayFrom, keys.displayTo, entry.needsCharacterComparison,
                Data(try idNumbers(db, messageID: keys.messageID, inReplyTo: keys.inReplyTo, references: keys.references)),
            ])
        try db.cachedStatement(
            sql: """
                INSERT INTO message_text (rowid, from_text, to_text, cc_text, bcc_text, reply_to_text, sender_text,
                    subject_text, headers, body, mime)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                contentID, entry.from, entry.to, entry.cc, entry.bcc, entry.replyTo, entry.sender, entry.subject,
                entry.headers, entry.body, entry.mimeHeaders,
            ])
    }

    /// Contents not indexed yet with ids above `after`, oldest first, with what indexing reads.
    public func unindexedContents(after: Int64, limit: Int) async throws -> [(id: Int64, raw: [UInt8], parseJSON: String)] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.parse, c.raw FROM contents c
                    WHERE c.id > ? AND NOT EXISTS (SELECT 1 FROM message_index mi WHERE mi.content_id = c.id)
                    ORDER BY c.id LIMIT ?
                    """, arguments: [after, limit]
            ).map { row -> (id: Int64, raw: [UInt8], parseJSON: String) in
                (row["id"] as Int64, [UInt8](row["raw"] as Data), row["parse"] as String)
            }
        }
    }

    /// Writes entries made outside the write lock, in one short transaction; a content deleted
    /// meanwhile is skipped.
    public func writeIndexEntries(_ entries: [(id: Int64, size: Int, entry: MessageIndexEntry)]) async throws {
        try await pool.write { db in
            for item in entries
            where try Int64.fetchOne(db, sql: "SELECT 1 FROM contents WHERE id = ?", arguments: [item.id]) != nil {
                try self.insertIndex(db, contentID: item.id, size: item.size, item.entry)
                try self.assignThreads(db, contentID: item.id, item.entry)
            }
        }
    }

    /// How many contents have no index entry yet (for the store's metrics and tests).
    public func unindexedCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM contents c
                    WHERE NOT EXISTS (SELECT 1 FROM message_index mi WHERE mi.content_id = c.id)
                    """) ?? 0
        }
    }
}

/// What SORT and THREAD read of an entry, as `message_index` keeps it: RFC 5256 §3 / RFC 5957 §3
/// sort keys as strings compared as octets (SQLite's BINARY collation), so SORT is an ORDER BY;
/// the base subject (§2.1) and whether it was a reply; message ids parsed (`<` `>` and
/// whitespace removed; References space-separated), so THREAD reads no header.
struct SortColumns {
    var baseSubject: String
    var isReply: Bool
    var from: String
    var to: String
    var cc: String
    var displayFrom: String
    var displayTo: String
    var messageID: String?
    var inReplyTo: String?
    var references: String?

    init(_ entry: MessageIndexEntry) {
        let base = BaseSubject(entry.firstSubject)
        baseSubject = base.key
        isReply = base.isReplyOrForward
        from = SortValue.addressMailbox(entry.firstFrom)
        to = SortValue.addressMailbox(entry.firstTo)
        cc = SortValue.addressMailbox(entry.firstCc)
        displayFrom = SortValue.display(entry.firstFrom)
        displayTo = SortValue.display(entry.firstTo)
        messageID = MessageIDs.first(entry.messageID)
        inReplyTo = MessageIDs.first(entry.inReplyTo)
        let references = MessageIDs.parse(entry.references)
        self.references = references.isEmpty ? nil : references.joined(separator: " ")
    }
}
