import Foundation
import GRDB
import StoreAPI

/// Delivery and APPEND: content stored once, referenced from each receiving mailbox, all in
/// one transaction so that nothing is visible before the commit and everything after it.
extension SQLiteStorage {
    public func deliver(_ message: IncomingMessage, envelope: DeliveryEnvelope, idempotencyKey: String?) async throws -> DeliveryResult {
        let received = now()
        let fingerprint = message.fingerprint + "|" + String(decoding: try Self.canonicalJSON(envelope), as: UTF8.self)
        return try await pool.write { db in
            // A retried request answers what the first one did (ARCHITECTURE.md, "The internal API").
            if let key = idempotencyKey,
                let row = try Row.fetchOne(db, sql: "SELECT fingerprint, response FROM idempotency WHERE key = ?", arguments: [key])
            {
                guard (row["fingerprint"] as String) == fingerprint else {
                    throw StoreError.conflict(APIErrorCode.idempotencyConflict, "this idempotency key was used for another delivery")
                }
                return try JSONDecoder().decode(DeliveryResult.self, from: row["response"] as Data)
            }
            let result = try self.deliverUnlessResent(db, message, envelope: envelope, at: received)
            if let key = idempotencyKey {
                try db.execute(
                    sql: "INSERT INTO idempotency (key, fingerprint, response, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [key, fingerprint, try JSONEncoder().encode(result), received])
            }
            return result
        }
    }

    /// Delivers to the recipients that do not have the message yet (`ResendDigest`); those
    /// that do are answered what the first delivery answered for them.
    private func deliverUnlessResent(_ db: Database, _ message: IncomingMessage, envelope: DeliveryEnvelope, at received: Double)
        throws -> DeliveryResult
    {
        guard let resend = message.resend else { return try deliverWithin(db, message, envelope: envelope, at: received) }
        var earlier: [String: RecipientResult] = [:]
        for (address, digest) in resend.digests {
            if let data = try Data.fetchOne(
                db, sql: "SELECT response FROM resend_digests WHERE digest = ? AND created_at >= ?",
                arguments: [digest, received - resend.window])
            {
                earlier[address] = try JSONDecoder().decode(RecipientResult.self, from: data)
            }
        }
        var rest = envelope
        rest.recipients.removeAll { earlier[$0.address] != nil }
        let fresh = rest.recipients.isEmpty ? nil : try deliverWithin(db, message, envelope: rest, at: received)
        var now: [String: RecipientResult] = [:]
        for r in fresh?.recipients ?? [] where now[r.recipient] == nil { now[r.recipient] = r }
        // Remembered only for who got it: a recipient refused now is judged afresh next time
        // (the account may exist by then).
        for (address, r) in now where r.status == .delivered || r.status == .queued {
            guard let digest = resend.digests[address] else { continue }
            try db.execute(
                sql: "INSERT OR REPLACE INTO resend_digests (digest, response, created_at) VALUES (?, ?, ?)",
                arguments: [digest, try JSONEncoder().encode(r), received])
        }
        return DeliveryResult(
            contentID: fresh?.contentID, size: message.raw.count,
            recipients: envelope.recipients.compactMap { earlier[$0.address] ?? now[$0.address] }, queueID: fresh?.queueID)
    }

    /// Local delivery and queueing inside the caller's transaction: content once, one INBOX
    /// copy per account reached, remote recipients (when allowed) in one queue entry.
    ///
    /// An account it would take over its quota refuses the whole delivery (it throws, and the
    /// caller's transaction stores nothing for anyone): SMTP has one answer to DATA for all
    /// recipients, so the gateway answers `452 4.2.2` and the client sends again later, when
    /// RCPT refuses the full mailbox alone (SQLiteStorage+Quota). `enforceQuota: false` is for
    /// the store's own delivery notices (SQLiteStorage+Relay).
    func deliverWithin(
        _ db: Database, _ message: IncomingMessage, envelope: DeliveryEnvelope, at received: Double, enforceQuota: Bool = true
    ) throws -> DeliveryResult {
        // Resolve every recipient first; one account reached twice gets one copy, one remote
        // address reached twice is queued once.
        var plans: [(recipient: String, status: RecipientResult.Status, accounts: [String])] = []
        var accounts: [String] = []
        var remote: [EnvelopeRecipient] = []
        func queue(_ r: EnvelopeRecipient) {
            if !remote.contains(where: { $0.address == r.address }) { remote.append(r) }
        }
        for recipient in envelope.recipients {
            let isLocal = try domainID(db, Validation.domainOf(recipient.address)) != nil
            // Local addresses are case-insensitive; one that is not even valid as ours (a
            // quoted local part) exists nowhere here.
            guard let canonical = isLocal ? Validation.address(recipient.address) : recipient.address else {
                plans.append((recipient.address, .unknownRecipient, []))
                continue
            }
            let info = try expand(db, canonical)
            if !info.local {
                if envelope.relay {
                    queue(recipient)
                }
                plans.append((recipient.address, envelope.relay ? .queued : .notLocal, []))
            } else if !info.exists {
                plans.append((recipient.address, .unknownRecipient, []))
            } else {
                // An alias's remote targets are the administrator's forwarding: queued
                // whatever port the message came in on.
                for target in info.remote {
                    queue(
                        EnvelopeRecipient(
                            address: target, notify: recipient.notify, orcpt: recipient.orcpt ?? "rfc822;" + recipient.address))
                }
                for account in info.accounts where !accounts.contains(account) { accounts.append(account) }
                let status: RecipientResult.Status = !info.accounts.isEmpty ? .delivered : info.remote.isEmpty ? .unknownRecipient : .queued
                plans.append((recipient.address, status, info.accounts))
            }
        }

        var copies: [String: StoredCopy] = [:]
        var contentID: Int64?
        var queueID: Int64?
        if !accounts.isEmpty || !remote.isEmpty {
            let content = try insertContent(db, message, at: received)
            contentID = content
            for address in accounts {
                let owner = try accountRow(db, address)
                guard let inbox = try mailboxID(db, account: owner.id, name: "INBOX") else {
                    throw StoreError(.internalServerError, APIErrorCode.internalError, "account has no INBOX")
                }
                let store = {
                    try self.insertMessage(
                        db, account: owner, mailbox: inbox, content: content,
                        flags: FlagSet(bits: 0, keywords: ""), internalDate: received)
                }
                copies[address] = enforceQuota ? try withinQuota(db, account: owner.id, store) : try store()
                if let entry = message.index { try assignThread(db, account: owner.id, contentID: content, entry) }
            }
            if !remote.isEmpty {
                queueID = try enqueue(db, content: content, envelope: envelope, recipients: remote, at: received)
            }
        }
        return DeliveryResult(
            contentID: contentID, size: message.raw.count,
            recipients: plans.map { r in
                RecipientResult(recipient: r.recipient, status: r.status, deliveries: r.accounts.compactMap { copies[$0] })
            },
            queueID: queueID)
    }

    static func canonicalJSON(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(value)
    }

    /// One message: a batch of one.
    public func append(_ message: IncomingMessage, account: String, mailboxID: Int64, flags: [String], internalDate: Double?) async throws
        -> AppendResult
    {
        let batch = try await append(
            [AppendedMessage(message: message, flags: flags, internalDate: internalDate)], account: account, mailboxID: mailboxID)
        return AppendResult(uidValidity: batch.uidValidity, copy: batch.copies[0])
    }

    public func append(_ messages: [AppendedMessage], account: String, mailboxID: Int64) async throws -> AppendBatchResult {
        let flagSets = try messages.map { try FlagSet($0.flags) }
        let received = now()
        // One write: a message that cannot be stored (a mailbox gone, UIDs used up) rolls
        // back those before it. RFC 3502 §6.3.11
        return try await pool.write { db in
            // RFC 4314 §4 APPEND: i; flags one may not set are left off.
            let access = try self.authorize(db, account, mailbox: mailboxID, need: .insert)
            let uidValidity = try self.uidValidity(db, account: access.owner.id, id: mailboxID)
            // The batch's sum against the owner's quota, all or none. RFC 9208 §4.3, RFC 3502 §6.3.11
            let copies = try self.withinQuota(db, account: access.owner.id) {
                try self.insertAppended(db, messages, flags: flagSets, into: mailboxID, access: access, at: received)
            }
            return AppendBatchResult(uidValidity: uidValidity, copies: copies)
        }
    }

    /// Stores appended messages in `mailbox`, in order, inside the caller's write (APPEND's,
    /// REPLACE's): each its content, its copy with the flags `access` lets it set, its thread.
    func insertAppended(
        _ db: Database, _ messages: [AppendedMessage], flags flagSets: [FlagSet], into mailbox: Int64, access: MailboxAccess,
        at received: Double
    ) throws -> [StoredCopy] {
        var copies: [StoredCopy] = []
        for (message, given) in zip(messages, flagSets) {
            let flags = given.allowed(by: access.rights)
            let content = try insertContent(db, message.message, at: received)
            copies.append(
                try insertMessage(
                    db, account: access.owner, mailbox: mailbox, content: content,
                    flags: flags, internalDate: message.internalDate ?? received))
            if let entry = message.message.index { try assignThread(db, account: access.owner.id, contentID: content, entry) }
        }
        return copies
    }

    func insertContent(_ db: Database, _ message: IncomingMessage, at date: Double) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO contents (size, header_size, created_at, parse, raw) VALUES (?, ?, ?, ?, ?)",
            arguments: [message.raw.count, message.headerSize, date, message.parseJSON, Data(message.raw)])
        let id = db.lastInsertedRowID
        // RFC 8474 §5.1 EMAILID, one per content: copies share it.
        try db.cachedStatement(sql: "INSERT INTO email_ids (content_id, email_id) VALUES (?, ?)").execute(arguments: [
            id, ObjectIDs.email(),
        ])
        // The read model in the same transaction: searchable from the commit on.
        if let entry = message.index { try insertIndex(db, contentID: id, size: message.raw.count, entry) }
        return id
    }

    /// Gives the message the mailbox's next UID (RFC 3501 §2.3.1.1: strictly ascending, never
    /// reused, because UIDNEXT only grows) and a new MODSEQ, and logs it.
    func insertMessage(
        _ db: Database, account: AccountRow, mailbox: Int64, content: Int64,
        flags: FlagSet, internalDate: Double
    ) throws -> StoredCopy {
        guard let uid = try Int64.fetchOne(db, sql: "SELECT uid_next FROM mailboxes WHERE id = ?", arguments: [mailbox]) else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
        guard uid < Int64(UInt32.max) else {
            throw StoreError.conflict(APIErrorCode.uidExhausted, "the mailbox has used every UID")
        }
        try db.execute(sql: "UPDATE mailboxes SET uid_next = ? WHERE id = ?", arguments: [uid + 1, mailbox])
        let modseq = try logChange(db, account: account.id, kind: .added, mailbox: mailbox, uid: uid, flags: flags.names)
        // save_date: RFC 8514 §4.1. size: beside the UID, so listings read no content row.
        // needs_scan: what a text SEARCH must read (Schema `v12-search-scan`).
        try db.cachedStatement(
            sql: """
                INSERT INTO mailbox_messages (mailbox_id, uid, content_id, system_flags, keywords, modseq, internal_date, save_date,
                    size, needs_scan)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT size FROM contents WHERE id = ?),
                    NOT EXISTS (SELECT 1 FROM message_index WHERE content_id = ? AND NOT needs_characters))
                """
        ).execute(arguments: [mailbox, uid, content, flags.bits, flags.keywordText, modseq, internalDate, now(), content, content])
        return StoredCopy(account: account.address, mailboxID: mailbox, uid: UInt32(uid), modSeq: UInt64(modseq))
    }

    public func pruneIdempotency(olderThan cutoff: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM idempotency WHERE created_at < ?", arguments: [cutoff])
        }
    }

    public func pruneResendDigests(olderThan cutoff: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM resend_digests WHERE created_at < ?", arguments: [cutoff])
        }
    }
}
