import Foundation
import GRDB
import InternetMessage
import StoreAPI

/// The outbound queue as the relay workers and administrators use it: leases, outcomes,
/// notices, and the administrator's retry/hold/release/bounce/delete.
extension SQLiteStorage {
    func queueRow(_ db: Database, _ id: Int64) throws -> QueueEntry {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT q.*, c.size FROM queue_messages q JOIN contents c ON c.id = q.content_id WHERE q.id = ?",
                arguments: [id])
        else {
            throw StoreError.notFound(APIErrorCode.queueEntryNotFound, "no such queue entry")
        }
        return queueEntry(from: row, recipients: try queueRecipients(db, id))
    }

    func queueRecipients(_ db: Database, _ id: Int64) throws -> [QueueRecipient] {
        try Row.fetchAll(db, sql: "SELECT * FROM queue_recipients WHERE queue_id = ? ORDER BY domain, address", arguments: [id]).map {
            row in
            let notify: String? = row["notify"]
            return QueueRecipient(
                address: row["address"], domain: row["domain"], state: Self.recipientState(row["state"]),
                notify: notify.map { $0.split(separator: ",").map(String.init) }, orcpt: row["orcpt"],
                lastError: row["last_error"], status: row["status"], remoteMTA: row["remote_mta"])
        }
    }

    /// The states as stored: only the store writes them, so anything else is a damaged row;
    /// an entry then waits for an administrator (hold) rather than being retried or dropped.
    static func queueState(_ raw: String) -> QueueState { QueueState(rawValue: raw) ?? .hold }
    /// A recipient in a damaged row is not delivered again (that could send it twice): it counts
    /// as failed, as the SQL that finds what is left to do (`state = 'pending'`) has it.
    static func recipientState(_ raw: String) -> QueueRecipientState { QueueRecipientState(rawValue: raw) ?? .failed }

    func queueEntry(from row: Row, recipients: [QueueRecipient]) -> QueueEntry {
        let expires: Double? = row["lease_expires"]
        let leased = expires.map { $0 > now() } ?? false
        let state = Self.queueState(row["state"])
        return QueueEntry(
            id: row["id"], sender: row["sender"], createdAt: row["created_at"],
            state: leased && state == .deferred ? .active : state, nextAttempt: row["next_attempt"],
            attempts: row["attempts"], lastError: row["last_error"], size: row["size"],
            ret: row["ret"], envid: row["envid"], smtputf8: (row["smtputf8"] as Bool?) ?? false, body: row["body"],
            delayWarned: (row["delay_warned"] as Bool?) ?? false,
            leaseOwner: leased ? row["lease_owner"] : nil, leaseExpires: leased ? expires : nil, recipients: recipients)
    }

    public func queueEntry(_ id: Int64) async throws -> QueueEntry {
        try await pool.read { db in try self.queueRow(db, id) }
    }

    public func leaseQueue(worker: String, limit: Int, ttl: Double) async throws -> [QueueEntry] {
        let time = now()
        return try await pool.write { db in
            let due = try Int64.fetchAll(
                db,
                sql: """
                    SELECT id FROM queue_messages
                    WHERE state = 'deferred' AND next_attempt <= ? AND (lease_expires IS NULL OR lease_expires < ?)
                    ORDER BY next_attempt LIMIT ?
                    """, arguments: [time, time, limit])
            var entries: [QueueEntry] = []
            for id in due {
                try db.execute(
                    sql: "UPDATE queue_messages SET lease_owner = ?, lease_expires = ? WHERE id = ?",
                    arguments: [worker, time + ttl, id])
                var entry = try self.queueRow(db, id)
                entry.recipients = entry.recipients.filter { $0.state == .pending }
                entries.append(entry)
            }
            return entries
        }
    }

    public func renewQueueLease(_ id: Int64, worker: String, ttl: Double) async throws -> QueueEntry {
        let time = now()
        return try await pool.write { db in
            try self.requireLease(db, id, worker: worker)
            try db.execute(sql: "UPDATE queue_messages SET lease_expires = ? WHERE id = ?", arguments: [time + ttl, id])
            return try self.queueRow(db, id)
        }
    }

    public func releaseQueueLease(_ id: Int64, worker: String) async throws {
        try await pool.write { db in
            try self.requireLease(db, id, worker: worker)
            try db.execute(sql: "UPDATE queue_messages SET lease_owner = NULL, lease_expires = NULL WHERE id = ?", arguments: [id])
        }
    }

    /// The lease must still be `worker`'s: a worker whose lease expired and was taken over
    /// must not report (the other worker's outcome counts).
    private func requireLease(_ db: Database, _ id: Int64, worker: String) throws {
        guard let owner = try String.fetchOne(db, sql: "SELECT lease_owner FROM queue_messages WHERE id = ?", arguments: [id]) else {
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue_messages WHERE id = ?", arguments: [id]) == 0 {
                throw StoreError.notFound(APIErrorCode.queueEntryNotFound, "no such queue entry")
            }
            throw StoreError.conflict(APIErrorCode.leaseLost, "the entry is not leased to this worker")
        }
        guard owner == worker else {
            throw StoreError.conflict(APIErrorCode.leaseLost, "the entry is leased to another worker")
        }
    }

    public func queueMessage(_ id: Int64) async throws -> [UInt8] {
        try await pool.read { db in
            guard
                let data = try Data.fetchOne(
                    db, sql: "SELECT c.raw FROM queue_messages q JOIN contents c ON c.id = q.content_id WHERE q.id = ?",
                    arguments: [id])
            else {
                throw StoreError.notFound(APIErrorCode.queueEntryNotFound, "no such queue entry")
            }
            return [UInt8](data)
        }
    }

    public func reportQueue(_ id: Int64, _ report: DeliveryReport, notices: NoticeWriter) async throws -> ReportResult {
        let time = now()
        return try await pool.write { db in
            try self.requireLease(db, id, worker: report.worker)
            let entry = try self.queueRow(db, id)
            let pending = Set(entry.recipients.filter { $0.state == .pending }.map(\.address))
            var told: [DeliveryStatusNotification.Recipient] = []
            for outcome in report.recipients where pending.contains(outcome.address) {
                let state: QueueRecipientState
                switch outcome.outcome {
                case .delivered: state = .delivered
                case .failed: state = .failed
                case .deferred: state = .pending
                }
                try db.execute(
                    sql: """
                        UPDATE queue_recipients SET state = ?, status = ?, last_error = ?, remote_mta = ? WHERE queue_id = ? AND address = ?
                        """, arguments: [state.rawValue, outcome.status, outcome.diagnostic, outcome.remoteMTA, id, outcome.address])
                let recipient = entry.recipients.first { $0.address == outcome.address }
                let action: DeliveryStatusNotification.Recipient.Action? =
                    switch outcome.outcome {
                    case .failed: .failed
                    // RFC 3461 §5.2: the next hop that speaks DSN sends the success notice itself;
                    // one that does not gets ours, as "relayed".
                    case .delivered: outcome.notifyPassedOn == true ? nil : .relayed
                    case .deferred: report.delayWarning == true && entry.delayWarned != true ? .delayed : nil
                    }
                if let action, NoticeWriter.wants(action, recipient?.notify) {
                    told.append(
                        .init(
                            finalRecipient: outcome.address, originalRecipient: recipient?.orcpt, action: action,
                            status: outcome.status, remoteMTA: outcome.remoteMTA, diagnostic: outcome.diagnostic,
                            lastAttempt: Date(timeIntervalSince1970: time)))
                }
            }
            let notified = try self.sendNotice(db, entry: entry, recipients: told, notices: notices, at: time)
            // The delay warning is a moment, not a wish of one recipient: once it has passed it
            // is not sent again, whether NOTIFY asked for it or not.
            let deferred = report.recipients.first { $0.outcome == .deferred }
            try db.execute(
                sql: """
                    UPDATE queue_messages SET attempts = attempts + 1, last_error = COALESCE(?, last_error), next_attempt = ?,
                        lease_owner = NULL, lease_expires = NULL, delay_warned = delay_warned OR ?
                    WHERE id = ?
                    """, arguments: [deferred?.diagnostic, report.retryAt ?? time + 1800, report.delayWarning == true, id])
            let removed = try self.removeIfDone(db, id)
            return ReportResult(removed: removed, notifications: notified)
        }
    }

    /// Delivers a notice in this transaction: to the sender's INBOX when the sender is ours,
    /// else into the queue from the null sender (so it is never bounced in turn).
    private func sendNotice(
        _ db: Database, entry: QueueEntry, recipients: [DeliveryStatusNotification.Recipient],
        notices: NoticeWriter, at time: Double
    ) throws -> Int {
        guard
            let data = try Data.fetchOne(
                db, sql: "SELECT c.raw FROM queue_messages q JOIN contents c ON c.id = q.content_id WHERE q.id = ?",
                arguments: [entry.id]),
            let notice = notices.notice(for: entry, recipients: recipients, original: [UInt8](data))
        else { return 0 }
        let envelope = DeliveryEnvelope(sender: "", recipients: [EnvelopeRecipient(address: entry.sender)], relay: true)
        // A notice to a local sender is stored even over quota: refusing it would fail the
        // relay's report (the outcomes with it) or lose the notice, and RFC 5321 §6.1 makes
        // us responsible for it once the message was accepted. It is small and bounded by
        // the messages the sender sent.
        _ = try deliverWithin(db, notice, envelope: envelope, at: time, enforceQuota: false)
        return 1
    }

    private func removeIfDone(_ db: Database, _ id: Int64) throws -> Bool {
        let left =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue_recipients WHERE queue_id = ? AND state = 'pending'", arguments: [id])
            ?? 0
        guard left == 0 else { return false }
        let content = try Int64.fetchOne(db, sql: "SELECT content_id FROM queue_messages WHERE id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM queue_messages WHERE id = ?", arguments: [id])
        try collectUnreferencedContents(db, candidates: content.map { [$0] } ?? [])
        return true
    }

    public func adminQueue(_ id: Int64, _ action: QueueAdminAction, notices: NoticeWriter) async throws -> ReportResult {
        let time = now()
        return try await pool.write { db in
            let entry = try self.queueRow(db, id)
            switch action {
            case .retry:
                try db.execute(sql: "UPDATE queue_messages SET next_attempt = ? WHERE id = ?", arguments: [time, id])
            case .hold:
                try db.execute(sql: "UPDATE queue_messages SET state = 'hold' WHERE id = ?", arguments: [id])
            case .release:
                try db.execute(sql: "UPDATE queue_messages SET state = 'deferred', next_attempt = ? WHERE id = ?", arguments: [time, id])
            case .bounce:
                let reason = "bounced by the administrator"
                var told: [DeliveryStatusNotification.Recipient] = []
                for r in entry.recipients where r.state == .pending {
                    try db.execute(
                        sql:
                            "UPDATE queue_recipients SET state = 'failed', status = '5.0.0', last_error = ? WHERE queue_id = ? AND address = ?",
                        arguments: [reason, id, r.address])
                    if NoticeWriter.wants(.failed, r.notify) {
                        told.append(
                            .init(
                                finalRecipient: r.address, originalRecipient: r.orcpt, action: .failed, status: "5.0.0",
                                diagnostic: r.lastError.map { "\(reason); last error: \($0)" } ?? reason))
                    }
                }
                let notified = try self.sendNotice(db, entry: entry, recipients: told, notices: notices, at: time)
                return ReportResult(removed: try self.removeIfDone(db, id), notifications: notified)
            }
            return ReportResult(removed: false, notifications: 0)
        }
    }

    public func deleteQueueEntry(_ id: Int64) async throws {
        try await pool.write { db in
            _ = try self.queueRow(db, id)
            try db.execute(sql: "UPDATE queue_recipients SET state = 'failed' WHERE queue_id = ?", arguments: [id])
            _ = try self.removeIfDone(db, id)
        }
    }

    public func queueStatistics() async throws -> (entries: Int, oldest: Double?) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM queue_messages")
            return (row?["n"] ?? 0, row?["oldest"])
        }
    }

    public func retryAllQueued() async throws -> Int {
        let time = now()
        return try await pool.write { db in
            try db.execute(
                sql: "UPDATE queue_messages SET next_attempt = ? WHERE state = 'deferred' AND next_attempt > ?", arguments: [time, time])
            return db.changesCount
        }
    }
}
