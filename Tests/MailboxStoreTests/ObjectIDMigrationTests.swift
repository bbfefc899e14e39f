import Foundation
import GRDB
import Testing

@testable import MailboxStore

/// The `v10-objectid` and `v10-savedate` migrations (issue 13): data from before gets RFC 8474
/// ids (a MAILBOXID per mailbox, an EMAILID per content, one THREADID per thread) and RFC 8514
/// save dates (the internal date).
@Suite("v10 object id and save date migrations")
struct ObjectIDMigrationTests {
    static func isObjectID(_ id: String?, prefix: Character) -> Bool {
        guard let id, id.first == prefix, id.count == 25 else { return false }
        return id.dropFirst().allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    @Test("existing mailboxes, contents and threads get ids; existing messages their internal date as save date")
    func existingDataGetsIDs() throws {
        let queue = try migratedDatabase(upTo: "v9-message-id-numbers")
        try queue.write { db in
            try insertAliceWithTwoMailboxes(db)
            try db.execute(
                sql: """
                    INSERT INTO contents (id, size, header_size, created_at, parse, raw) VALUES
                        (10, 1, 1, 0, '{}', x'41'), (11, 1, 1, 0, '{}', x'42'), (12, 1, 1, 0, '{}', x'43');
                    INSERT INTO mailbox_messages (mailbox_id, uid, content_id, modseq, internal_date) VALUES
                        (1, 1, 10, 1, 1000.5), (1, 2, 11, 2, 2000), (2, 1, 12, 3, 3000), (2, 2, 10, 4, 4000);
                    INSERT INTO content_threads (account_id, content_id, thread_id) VALUES (1, 10, 10), (1, 11, 10), (1, 12, 12);
                    """)
        }
        try Schema.migrator.migrate(queue)
        try queue.read { db in
            let boxes = try String.fetchAll(db, sql: "SELECT object_id FROM mailboxes ORDER BY id")
            #expect(boxes.count == 2 && Set(boxes).count == 2)
            #expect(boxes.allSatisfy { Self.isObjectID($0, prefix: "F") })
            let emails = try Row.fetchAll(db, sql: "SELECT content_id, email_id FROM email_ids ORDER BY content_id")
            #expect(emails.map { $0["content_id"] as Int64 } == [10, 11, 12])
            #expect(Set(emails.map { $0["email_id"] as String }).count == 3)
            #expect(emails.allSatisfy { Self.isObjectID($0["email_id"], prefix: "M") })
            let threads = try Row.fetchAll(db, sql: "SELECT content_id, object_id FROM content_threads ORDER BY content_id")
            let byContent = Dictionary(uniqueKeysWithValues: threads.map { ($0["content_id"] as Int64, $0["object_id"] as String?) })
            #expect(byContent[10] == byContent[11], "one THREADID per thread")
            #expect(byContent[10] != byContent[12])
            #expect(threads.allSatisfy { Self.isObjectID($0["object_id"], prefix: "T") })
            let dates = try Double.fetchAll(db, sql: "SELECT save_date FROM mailbox_messages ORDER BY mailbox_id, uid")
            #expect(dates == [1000.5, 2000, 3000, 4000])
        }
        // A content removed takes its EMAILID along.
        try queue.write { db in
            try db.execute(sql: "DELETE FROM mailbox_messages WHERE content_id = 11")
            try db.execute(sql: "DELETE FROM contents WHERE id = 11")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM email_ids WHERE content_id = 11") == 0)
        }
    }
}
