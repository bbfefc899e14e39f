import GRDB
import Testing

@testable import MailboxStore

/// What a delivery asks SQLite must be a lookup, not a walk over the account's rows: a walk
/// costs nothing in a test and makes each delivery slower as the mailbox grows.
@Suite("Delivery query plans")
struct DeliveryQueryPlanTests {
    @Test("a thread's object id is found through the thread index, not the account's every row")
    func threadObjectIDUsesTheThreadIndex() throws {
        let queue = try migratedDatabase(upTo: Schema.migrator.migrations.last ?? "")
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteStorage.threadObjectIDSQL, arguments: [1, 1]).map {
                $0["detail"] as String
            }
        }
        #expect(plan.contains { $0.contains("INDEX content_threads_thread (account_id=? AND thread_id=?)") }, "\(plan)")
    }
}
