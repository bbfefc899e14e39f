import Foundation
import GRDB
import Testing

@testable import MailboxStore

/// The `v6-autoincrement` migration (issue 11, item 6): a store from before keeps every row,
/// index and foreign key, and from then on no id is handed out twice.
@Suite("v6-autoincrement migration")
struct AutoincrementMigrationTests {
    static let tables = ["domains", "accounts", "aliases", "mailboxes", "contents", "queue_messages"]

    /// A database at the migration before (`v6-login-throttle`) with a row in every table that has ids, and some rows deleted
    /// (ids given out before the migration and no longer in a table cannot be known to it).
    func oldDatabase() throws -> DatabaseQueue {
        let queue = try migratedDatabase(upTo: "v6-login-throttle")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.test', 0), (2, 'gone.test', 0);
                    INSERT INTO accounts (id, address, domain_id, password_hash, created_at, scram_keys)
                        VALUES (1, 'alice@example.test', 1, 'h', 0, 'k');
                    INSERT INTO aliases (id, address, domain_id, targets) VALUES (1, 'team@example.test', 1, '["alice@example.test"]');
                    INSERT INTO mailboxes (id, account_id, name, uid_validity) VALUES (1, 1, 'INBOX', 1), (2, 1, 'Old', 2);
                    INSERT INTO contents (id, size, header_size, created_at, parse, raw) VALUES (1, 1, 0, 0, '{}', x'41'), (2, 1, 0, 0, '{}', x'42');
                    INSERT INTO mailbox_messages (mailbox_id, uid, content_id, modseq, internal_date) VALUES (1, 1, 1, 1, 0);
                    INSERT INTO queue_messages (id, content_id, sender, created_at, next_attempt, delay_warned) VALUES (7, 1, 'a@b', 0, 0, 1);
                    INSERT INTO queue_recipients (queue_id, address, domain, status) VALUES (7, 'x@far.test', 'far.test', '4.0.0');
                    DELETE FROM mailboxes WHERE id = 2;
                    DELETE FROM contents WHERE id = 2;
                    DELETE FROM domains WHERE id = 2;
                    """)
        }
        return queue
    }

    @Test("every table with exposed ids is AUTOINCREMENT afterwards, with its rows, indexes and columns")
    func keepsEverything() throws {
        let queue = try oldDatabase()
        let indexesBefore = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        }
        try Schema.migrator.migrate(queue, upTo: "v6-autoincrement")
        try queue.read { db in
            for table in Self.tables {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [table]) ?? ""
                #expect(sql.contains("AUTOINCREMENT"), "\(table)")
                #expect(!sql.contains("_rebuild"), "\(table)")
            }
            #expect(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name") == indexesBefore)
            #expect(try String.fetchOne(db, sql: "SELECT scram_keys FROM accounts WHERE id = 1") == "k")
            #expect(try Int.fetchOne(db, sql: "SELECT delay_warned FROM queue_messages WHERE id = 7") == 1)
            #expect(try String.fetchOne(db, sql: "SELECT status FROM queue_recipients WHERE queue_id = 7") == "4.0.0")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mailbox_messages") == 1)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            // The children's foreign keys still name the rebuilt tables.
            let parents = try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('mailboxes')")
            #expect(parents == ["accounts"])
        }
    }

    @Test("foreign keys still act after the rebuild: deleting an account cascades to its mailboxes")
    func foreignKeysAct() throws {
        let queue = try oldDatabase()
        try Schema.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM queue_messages")
            try db.execute(sql: "DELETE FROM mailbox_messages")
            try db.execute(sql: "DELETE FROM accounts WHERE id = 1")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mailboxes") == 0)
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO accounts (address, domain_id, password_hash, created_at) VALUES ('x@y', 99, 'h', 0)")
            }
        }
    }

    @Test("after the migration, the ids of deleted newest rows are not handed out again")
    func idsAreNotReused() throws {
        let queue = try oldDatabase()
        try Schema.migrator.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM queue_messages WHERE id = 7")
            try db.execute(sql: "INSERT INTO queue_messages (content_id, sender, created_at, next_attempt) VALUES (1, 'a@b', 0, 0)")
            #expect(db.lastInsertedRowID == 8)
            try db.execute(sql: "INSERT INTO mailboxes (account_id, name, uid_validity) VALUES (1, 'New', 3)")
            #expect(db.lastInsertedRowID > 1)
        }
    }
}
