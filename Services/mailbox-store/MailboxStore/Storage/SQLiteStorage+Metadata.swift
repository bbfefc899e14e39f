import Foundation
import GRDB
import StoreAPI

/// METADATA entries (RFC 5464): per mailbox, and the account's server entries (`mailbox_id`
/// 0, the `""` mailbox of GETMETADATA). Keyed by mailbox id, so RENAME keeps them (they belong to
/// the mailbox, not its name) and DELETE drops them (a trigger of `v10-shared-indexes`), as RFC 5464 asks.
extension SQLiteStorage {
    public func metadata(account: String, mailbox: Int64?) async throws -> [MetadataEntry] {
        try await pool.read { db in
            let actor = try self.accountRow(db, account)
            let (privateOwner, sharedOwner) = try self.metadataOwners(db, actor, mailbox: mailbox, writing: [])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT name, value FROM metadata WHERE mailbox_id = ?
                        AND ((account_id = ? AND name LIKE '/private/%') OR (account_id = ? AND name LIKE '/shared/%'))
                    ORDER BY name
                    """, arguments: [mailbox ?? 0, privateOwner.id, sharedOwner.id])
            return rows.map { MetadataEntry(name: $0["name"], value: $0["value"] as Data) }
        }
    }

    /// Whose entries `actor` reads and writes on `mailbox` (nil: the server's, always the
    /// actor's own): `/private` ones are the actor's, `/shared` ones the owner's, so on a mailbox
    /// another account shares both users see one `/shared/comment` and each their own
    /// `/private/comment`. RFC 5464 §3.3: entries of a mailbox need `l` and one of `r`, `s`,
    /// `w`, `i`, `p`; setting a `/shared` one (what every reader sees) needs `w` as well here.
    func metadataOwners(_ db: Database, _ actor: AccountRow, mailbox: Int64?, writing entries: [MetadataEntry])
        throws -> (private: AccountRow, shared: AccountRow)
    {
        guard let mailbox else { return (actor, actor) }
        // RFC 4314 §4: without any right the mailbox does not exist, as far as one knows.
        guard let access = try self.access(db, actor, mailbox: mailbox), !access.rights.isEmpty else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
        guard access.rights.contains(.lookup), !access.rights.isDisjoint(with: [.read, .seen, .write, .insert, .post]) else {
            throw Self.noPermission([.lookup, .read])
        }
        if entries.contains(where: { $0.name.hasPrefix("/shared/") }), !access.rights.contains(.write) {
            throw Self.noPermission(.write)
        }
        return (actor, access.owner)
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
            let actor = try self.accountRow(db, account)
            let owners = try self.metadataOwners(db, actor, mailbox: request.mailboxID, writing: request.entries)
            let box = request.mailboxID ?? 0
            var before: [String: Int] = [:]
            for (owner, prefix) in [(owners.private, "/private/"), (owners.shared, "/shared/")] {
                before[prefix] = try self.metadataCount(db, owner.id, box, prefix)
            }
            for entry in request.entries {
                // A change is logged in the feed of whose entry it is: the owner's sessions hear
                // of a `/shared` entry a grantee set (NOTIFY MailboxMetadataChange).
                let owner = entry.name.hasPrefix("/shared/") ? owners.shared : owners.private
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
            // Checked after the writes, inside the transaction: throwing rolls them all back.
            // `/shared` and `/private` entries count apart (another account's entries cannot
            // fill the owner's room), and a count already over the limit may still shrink.
            for (owner, prefix) in [(owners.private, "/private/"), (owners.shared, "/shared/")] {
                let after = try self.metadataCount(db, owner.id, box, prefix)
                guard after <= limit || after <= before[prefix] ?? 0 else {
                    throw StoreError.conflict(APIErrorCode.metadataTooMany, "more than \(limit) entries")
                }
            }
        }
    }

    private func metadataCount(_ db: Database, _ account: Int64, _ mailbox: Int64, _ prefix: String) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM metadata WHERE account_id = ? AND mailbox_id = ? AND name LIKE ?",
            arguments: [account, mailbox, prefix + "%"]) ?? 0
    }
}
