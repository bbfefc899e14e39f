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
