import Foundation
import GRDB
import StoreAPI

/// The outbound queue: written in the same transaction as local delivery, read by mailctl and
/// (with leases) by the queue-relay.
extension SQLiteStorage {
    func enqueue(_ db: Database, content: Int64, envelope: DeliveryEnvelope, recipients: [EnvelopeRecipient], at date: Double) throws
        -> Int64
    {
        try db.execute(
            sql: """
                INSERT INTO queue_messages (content_id, sender, ret, envid, smtputf8, body, created_at, next_attempt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                content, envelope.sender, envelope.ret, envelope.envid, envelope.smtputf8 ?? false,
                envelope.body, date, date,
            ])
        let id = db.lastInsertedRowID
        for r in recipients {
            try db.execute(
                sql: "INSERT INTO queue_recipients (queue_id, address, domain, notify, orcpt) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    id, r.address, Validation.domainOf(r.address).lowercased(),
                    r.notify?.joined(separator: ","), r.orcpt,
                ])
        }
        return id
    }

    public func listQueue() async throws -> [QueueEntry] {
        try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM queue_messages ORDER BY id").map { try self.queueRow(db, $0) }
        }
    }
}
