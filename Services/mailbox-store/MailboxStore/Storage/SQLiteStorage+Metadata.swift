import Foundation
import GRDB
import StoreAPI

/// METADATA entries (RFC 5464): per mailbox, and the account's server entries (`mailbox_id`
/// 0, the `""` mailbox of GETMETADATA). Keyed by mailbox id, so RENAME keeps them (they belong to
/// the mailbox, not its name) and DELETE drops them (`deleteMailbox`), as RFC 5464 asks.
extension SQLiteStorage {
    public func metadata(account: String, mailbox: Int64?) async throws -> [MetadataEntry] {
        try await pool.read { db in
            let owner = try self.accountRow(db, account)
            if let mailbox { try self.requireMailbox(db, account: owner.id, id: mailbox) }
            let rows = try Row.fetchAll(
                db, sql: "SELECT name, value FROM metadata WHERE account_id = ? AND mailbox_id = ? ORDER BY name",
                arguments: [owner.id, mailbox ?? 0])
            return rows.map { MetadataEntry(name: $0["name"], value: $0["value"] as Data) }
        }
    }

    /// Sets and removes entries all or none (RFC 5464 §4.3: a refused SETMETADATA changes
    /// nothing); each entry that changes takes a MODSEQ in the feed, as kind `metadata`, so
    /// NOTIFY's MailboxMetadataChange and ServerMetadataChange reach other sessions. The
    /// mailbox's HIGHESTMODSEQ is left alone: no message changed.
    public func setMetadata(account: String, _ request: SetMetadataRequest) async throws {
        for entry in request.entries {
            guard MetadataLimits.isValidEntryName(entry.name) else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "not an entry name (RFC 5464 §3.2)")
            }
            guard (entry.value?.count ?? 0) <= MetadataLimits.valueSize else {
                throw StoreError.badRequest(APIErrorCode.tooLarge, "entry value over \(MetadataLimits.valueSize) octets")
            }
        }
        let limit = min(max(request.maxEntries, 0), MetadataLimits.entries)
        try await pool.write { db in
            let owner = try self.accountRow(db, account)
            if let mailbox = request.mailboxID { try self.requireMailbox(db, account: owner.id, id: mailbox) }
            let box = request.mailboxID ?? 0
            for entry in request.entries {
                let current = try Data.fetchOne(
                    db, sql: "SELECT value FROM metadata WHERE account_id = ? AND mailbox_id = ? AND name = ?",
                    arguments: [owner.id, box, entry.name])
                guard current != entry.value else { continue }
                if let value = entry.value {
                    try db.execute(
                        sql: """
                            INSERT INTO metadata (account_id, mailbox_id, name, value) VALUES (?, ?, ?, ?)
                            ON CONFLICT (account_id, mailbox_id, name) DO UPDATE SET value = excluded.value
                            """, arguments: [owner.id, box, entry.name, value])
                } else {
                    try db.execute(
                        sql: "DELETE FROM metadata WHERE account_id = ? AND mailbox_id = ? AND name = ?",
                        arguments: [owner.id, box, entry.name])
                }
                let modseq = try self.nextModSeq(db, account: owner.id)
                try db.execute(
                    sql: "INSERT INTO changes (account_id, modseq, kind, mailbox_id, name) VALUES (?, ?, ?, ?, ?)",
                    arguments: [owner.id, modseq, Change.Kind.metadata.rawValue, box, entry.name])
            }
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM metadata WHERE account_id = ? AND mailbox_id = ?", arguments: [owner.id, box]) ?? 0
            // Checked after the writes, inside the transaction: throwing rolls them all back.
            guard count <= limit else {
                throw StoreError.conflict(APIErrorCode.metadataTooMany, "more than \(limit) entries")
            }
        }
    }
}
