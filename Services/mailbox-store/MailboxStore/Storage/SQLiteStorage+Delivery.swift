import Foundation
import GRDB
import StoreAPI

/// Delivery and APPEND: content stored once, referenced from each receiving mailbox, all in
/// one transaction so that nothing is visible before the commit and everything after it.
extension SQLiteStorage {
    public func deliver(_ message: IncomingMessage, recipients: [String], idempotencyKey: String?) async throws -> DeliveryResult {
        let received = now()
        return try await pool.write { db in
            // A retried request answers what the first one did (ARCHITECTURE.md, "The internal API").
            if let key = idempotencyKey,
               let row = try Row.fetchOne(db, sql: "SELECT fingerprint, response FROM idempotency WHERE key = ?", arguments: [key]) {
                guard (row["fingerprint"] as String) == message.fingerprint + "|" + recipients.joined(separator: ",") else {
                    throw StoreError.conflict(APIErrorCode.idempotencyConflict, "this idempotency key was used for another delivery")
                }
                return try JSONDecoder().decode(DeliveryResult.self, from: row["response"] as Data)
            }

            // Resolve every recipient first; one account reached twice gets one copy.
            var reached: [(recipient: String, status: RecipientResult.Status, accounts: [String])] = []
            var accounts: [String] = []
            for recipient in recipients {
                let info = try self.expand(db, recipient)
                if !info.local {
                    reached.append((recipient, .notLocal, []))
                } else if !info.exists || info.accounts.isEmpty {
                    reached.append((recipient, info.exists ? .notLocal : .unknownRecipient, []))
                } else {
                    reached.append((recipient, .delivered, info.accounts))
                    for account in info.accounts where !accounts.contains(account) { accounts.append(account) }
                }
            }

            var copies: [String: StoredCopy] = [:]
            var contentID: Int64?
            if !accounts.isEmpty {
                let content = try self.insertContent(db, message, at: received)
                contentID = content
                for address in accounts {
                    let owner = try self.accountRow(db, address)
                    guard let inbox = try self.mailboxID(db, account: owner.id, name: "INBOX") else {
                        throw StoreError(.internalServerError, APIErrorCode.internalError, "account has no INBOX")
                    }
                    copies[address] = try self.insertMessage(db, account: owner, mailbox: inbox, content: content,
                                                             flags: FlagSet(bits: 0, keywords: ""), internalDate: received)
                }
            }
            let result = DeliveryResult(
                contentID: contentID, size: message.raw.count,
                recipients: reached.map { r in
                    RecipientResult(recipient: r.recipient, status: r.status, deliveries: r.accounts.compactMap { copies[$0] })
                })
            if let key = idempotencyKey {
                try db.execute(sql: "INSERT INTO idempotency (key, fingerprint, response, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [key, message.fingerprint + "|" + recipients.joined(separator: ","),
                                           try JSONEncoder().encode(result), received])
            }
            return result
        }
    }

    public func append(_ message: IncomingMessage, account: String, mailboxID: Int64, flags: [String], internalDate: Double?) async throws -> AppendResult {
        let flagSet = try FlagSet(flags)
        let received = now()
        return try await pool.write { db in
            let owner = try self.accountRow(db, account)
            let mailbox = try self.mailboxRow(db, account: owner.id, id: mailboxID)
            let content = try self.insertContent(db, message, at: received)
            let copy = try self.insertMessage(db, account: owner, mailbox: mailbox.id, content: content,
                                              flags: flagSet, internalDate: internalDate ?? received)
            return AppendResult(uidValidity: mailbox.uidValidity, copy: copy)
        }
    }

    func insertContent(_ db: Database, _ message: IncomingMessage, at date: Double) throws -> Int64 {
        try db.execute(sql: "INSERT INTO contents (size, header_size, created_at, parse, raw) VALUES (?, ?, ?, ?, ?)",
                       arguments: [message.raw.count, message.headerSize, date, message.parseJSON, Data(message.raw)])
        return db.lastInsertedRowID
    }

    /// Gives the message the mailbox's next UID (RFC 3501 §2.3.1.1: strictly ascending, never
    /// reused, because UIDNEXT only grows) and a new MODSEQ, and logs it.
    func insertMessage(_ db: Database, account: AccountRow, mailbox: Int64, content: Int64,
                       flags: FlagSet, internalDate: Double) throws -> StoredCopy {
        guard let uid = try Int64.fetchOne(db, sql: "SELECT uid_next FROM mailboxes WHERE id = ?", arguments: [mailbox]) else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
        guard uid < Int64(UInt32.max) else {
            throw StoreError.conflict("uid-exhausted", "the mailbox has used every UID")
        }
        try db.execute(sql: "UPDATE mailboxes SET uid_next = ? WHERE id = ?", arguments: [uid + 1, mailbox])
        let modseq = try logChange(db, account: account.id, kind: .added, mailbox: mailbox, uid: uid, flags: flags.names)
        try db.execute(sql: """
            INSERT INTO mailbox_messages (mailbox_id, uid, content_id, system_flags, keywords, modseq, internal_date)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [mailbox, uid, content, flags.bits, flags.keywordText, modseq, internalDate])
        return StoredCopy(account: account.address, mailboxID: mailbox, uid: UInt32(uid), modSeq: UInt64(modseq))
    }

    public func pruneIdempotency(olderThan cutoff: Double) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM idempotency WHERE created_at < ?", arguments: [cutoff])
        }
    }
}
