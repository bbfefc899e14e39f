import GRDB
import Testing

@testable import MailboxStore

/// `mailbox_messages.needs_scan` (Schema `v12-search-scan`) says which messages a text SEARCH
/// must read because the index cannot answer for them; a search that starts from the FTS
/// matches trusts it for every other row, so it must follow the index whatever writes it.
@Suite("The search scan mark")
struct SearchScanMarkTests {
    /// Contents 1 (indexed), 2 (indexed, needs characters), 3 (not indexed), each in INBOX;
    /// content 1 also in Work.
    static func insertMessages(_ db: Database) throws {
        try insertAliceWithTwoMailboxes(db)
        try db.execute(
            sql: """
                INSERT INTO contents (id, size, header_size, created_at, parse, raw)
                    VALUES (1, 1, 1, 0, '{}', x'00'), (2, 1, 1, 0, '{}', x'00'), (3, 1, 1, 0, '{}', x'00');
                INSERT INTO message_index (content_id, size, has_attachment, sort_from, sort_to, sort_cc, display_from,
                    display_to, needs_characters)
                    VALUES (1, 1, 0, '', '', '', '', '', 0), (2, 1, 0, '', '', '', '', '', 1);
                INSERT INTO mailbox_messages (mailbox_id, uid, content_id, modseq, internal_date)
                    VALUES (1, 1, 1, 1, 0), (1, 2, 2, 2, 0), (1, 3, 3, 3, 0), (2, 1, 1, 4, 0);
                """)
    }

    static func marks(_ db: Database) throws -> [Int] {
        try Int.fetchAll(db, sql: "SELECT needs_scan FROM mailbox_messages ORDER BY mailbox_id, uid")
    }

    @Test("the migration marks what has no entry or needs characters; the mark follows entries written and dropped")
    func migrationAndTriggers() throws {
        let queue = try migratedDatabase(upTo: "v11-message-size")
        try queue.write { db in try Self.insertMessages(db) }
        try Schema.migrator.migrate(queue)
        try queue.write { db in
            #expect(try Self.marks(db) == [0, 1, 1, 0])
            // The background indexer writes content 3's entry: no longer scanned.
            try db.execute(
                sql: """
                    INSERT INTO message_index (content_id, size, has_attachment, sort_from, sort_to, sort_cc, display_from,
                        display_to, needs_characters) VALUES (3, 1, 0, '', '', '', '', '', 0)
                    """)
            #expect(try Self.marks(db) == [0, 1, 0, 0])
            try db.execute(sql: "UPDATE message_index SET needs_characters = 1 WHERE content_id = 1")
            #expect(try Self.marks(db) == [1, 1, 0, 1])
            try db.execute(sql: "UPDATE message_index SET needs_characters = 0 WHERE content_id = 1")
            // An entry dropped (as tests do to stand for content stored before the index).
            try db.execute(sql: "DELETE FROM message_index WHERE content_id = 1")
            #expect(try Self.marks(db) == [1, 1, 0, 1])
        }
    }

    @Test("a text search starts from the FTS matches and finds the rows to scan through the partial index")
    func drivenSearchPlan() throws {
        let queue = try migratedDatabase(upTo: Schema.migrator.migrations.last ?? "")
        let plan = try queue.read { db in
            try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + SQLiteStorage.drivenSearchSQL("mi.size > 10", readsEntry: true),
                arguments: ["body : \"lunch\"", 1, 1, 100, 1, 1, 100]
            ).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("INDEX mailbox_messages_content (content_id=? AND mailbox_id=?") }, "\(plan)")
        #expect(plan.contains { $0.contains("INDEX mailbox_messages_scan (mailbox_id=?") }, "\(plan)")
        #expect(!plan.contains { $0.contains("SCAN mm") }, "\(plan)")
    }
}
