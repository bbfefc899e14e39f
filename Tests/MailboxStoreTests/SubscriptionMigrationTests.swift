import Foundation
import GRDB
import Testing

@testable import MailboxStore

/// The `v9-subscriptions` migration (issue 13, item 5): subscriptions move from a column of
/// `mailboxes` to a table of names, carrying over every subscribed mailbox and no other.
@Suite("v9-subscriptions migration")
struct SubscriptionMigrationTests {
    @Test("subscribed mailboxes become subscribed names; unsubscribed ones do not; accounts stay apart")
    func carriesSubscriptions() throws {
        let queue = try migratedDatabase(upTo: "v8-thread-ids")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.test', 0);
                    INSERT INTO accounts (id, address, domain_id, password_hash, created_at) VALUES
                        (1, 'alice@example.test', 1, 'h', 0), (2, 'bob@example.test', 1, 'h', 0);
                    INSERT INTO mailboxes (account_id, name, subscribed, uid_validity) VALUES
                        (1, 'INBOX', 1, 1), (1, 'Work', 0, 2), (1, 'Work/Reports', 1, 3), (2, 'INBOX', 1, 4);
                    """)
        }
        try Schema.migrator.migrate(queue)
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT account_id, name FROM subscriptions ORDER BY account_id, name")
            #expect(rows.map { "\($0["account_id"] as Int64) \($0["name"] as String)" } == ["1 INBOX", "1 Work/Reports", "2 INBOX"])
        }
        // Deleting an account takes its subscriptions along.
        try queue.write { db in
            try db.execute(sql: "DELETE FROM mailboxes WHERE account_id = 2")
            try db.execute(sql: "DELETE FROM accounts WHERE id = 2")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subscriptions WHERE account_id = 2") == 0)
        }
    }
}
