import Foundation
import GRDB
import StoreAPI

/// The outbound queue: written in the same transaction as local delivery, read by mailctl and
/// (with leases) by the queue-relay.
extension SQLiteStorage {
    func enqueue(_ db: Database, content: Int64, envelope: DeliveryEnvelope, recipients: [EnvelopeRecipient], at date: Double) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO queue_messages (content_id, sender, ret, envid, smtputf8, body, created_at, next_attempt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [content, envelope.sender, envelope.ret, envelope.envid, envelope.smtputf8 ?? false,
                             envelope.body, date, date])
        let id = db.lastInsertedRowID
        for r in recipients {
            try db.execute(sql: "INSERT INTO queue_recipients (queue_id, address, domain, notify, orcpt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, r.address, Validation.domainOf(r.address).lowercased(),
                                       r.notify?.joined(separator: ","), r.orcpt])
        }
        return id
    }

    public func listQueue() async throws -> [QueueEntry] {
        try await pool.read { db in
            let recipients = try Row.fetchAll(db, sql: "SELECT * FROM queue_recipients ORDER BY queue_id, domain, address")
            var byEntry: [Int64: [QueueRecipient]] = [:]
            for row in recipients {
                let notify: String? = row["notify"]
                byEntry[row["queue_id"], default: []].append(QueueRecipient(
                    address: row["address"], domain: row["domain"], state: row["state"],
                    notify: notify.map { $0.split(separator: ",").map(String.init) }, orcpt: row["orcpt"], lastError: row["last_error"]))
            }
            return try Row.fetchAll(db, sql: """
                SELECT q.*, c.size FROM queue_messages q JOIN contents c ON c.id = q.content_id ORDER BY q.id
                """).map { row in
                let id: Int64 = row["id"]
                let leased = (row["lease_expires"] as Double?).map { $0 > self.now() } ?? false
                return QueueEntry(id: id, sender: row["sender"], createdAt: row["created_at"],
                                  state: leased ? "active" : row["state"], nextAttempt: row["next_attempt"],
                                  attempts: row["attempts"], lastError: row["last_error"], size: row["size"],
                                  ret: row["ret"], envid: row["envid"], recipients: byEntry[id] ?? [])
            }
        }
    }
}
