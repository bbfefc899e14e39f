import GRDB

@testable import MailboxStore

/// An in-memory store database migrated up to and including `migration`, foreign keys on as
/// the store has them: the "before" side of a migration test.
func migratedDatabase(upTo migration: String) throws -> DatabaseQueue {
    var config = Configuration()
    config.foreignKeysEnabled = true
    let queue = try DatabaseQueue(configuration: config)
    try Schema.migrator.migrate(queue, upTo: migration)
    return queue
}

/// The rows a migration test of messages starts from: the domain example.test, alice (account
/// 1), her INBOX (mailbox 1) and Work (mailbox 2).
func insertAliceWithTwoMailboxes(_ db: Database) throws {
    try db.execute(
        sql: """
            INSERT INTO domains (id, name, created_at) VALUES (1, 'example.test', 0);
            INSERT INTO accounts (id, address, domain_id, password_hash, created_at) VALUES (1, 'alice@example.test', 1, 'h', 0);
            INSERT INTO mailboxes (id, account_id, name, uid_validity) VALUES (1, 1, 'INBOX', 1), (2, 1, 'Work', 2);
            """)
}
