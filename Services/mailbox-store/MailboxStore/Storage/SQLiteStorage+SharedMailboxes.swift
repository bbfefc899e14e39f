import GRDB
import StoreAPI

/// Creating and renaming mailboxes in another account's namespace (RFC 4314 §4), and the ACL a
/// new mailbox takes from the one above it.
extension SQLiteStorage {
    /// A new mailbox takes the ACL of its nearest superior (none at the top): a folder shared
    /// with a team shares its new subfolders alike, and whoever made one with `k` can still
    /// see it. Copied, not linked: changing the parent's ACL later leaves the child's.
    /// Each grant copied is logged in its grantees' feeds as SETACL's are (RFC 5465 §5.4: a
    /// mailbox they may now look up is, to them, created).
    func inheritACL(_ db: Database, to mailbox: Int64, from superior: Int64?, owner: AccountRow) throws {
        guard let superior else { return }
        let grants = try Row.fetchAll(
            db, sql: "SELECT identifier, grantee_id, rights FROM acl WHERE mailbox_id = ?", arguments: [superior])
        for grant in grants {
            let rights = MailboxRights(rawValue: UInt16(truncatingIfNeeded: grant["rights"] as Int64))
            try db.execute(
                sql: "INSERT INTO acl (mailbox_id, identifier, grantee_id, rights) VALUES (?, ?, ?, ?)",
                arguments: [mailbox, grant["identifier"] as String, grant["grantee_id"] as Int64?, Int64(rights.rawValue)])
            _ = try logRightsChanges(
                db, owner: owner, mailbox: mailbox, identifier: grant["identifier"], granteeID: grant["grantee_id"], old: [], new: rights)
        }
    }

    /// The accounts besides the owner holding a right on `mailbox` (`anyone`: every other
    /// account of the owner's domain), whose feed readers a new shared mailbox wakes.
    public func rightsHolders(mailbox: Int64) async throws -> [Int64] {
        try await pool.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT a.id FROM acl g JOIN mailboxes m ON m.id = g.mailbox_id JOIN accounts o ON o.id = m.account_id
                    JOIN accounts a ON a.id = g.grantee_id OR (g.grantee_id IS NULL AND a.domain_id = o.domain_id AND a.id <> o.id)
                    WHERE g.mailbox_id = ?
                    """, arguments: [mailbox])
        }
    }

    /// RFC 4314 §4: RENAME needs `x` on the mailbox and `k` on the new name's parent; for a
    /// new name several levels down, on its nearest superior that exists (the levels between
    /// are created). The top of the owner's namespace has no parent to hold `k`.
    func mayRename(_ db: Database, _ actor: AccountRow, _ access: MailboxAccess, _ mailbox: MailboxInfo, to newName: String) throws {
        guard access.rights.contains(.deleteMailbox) else { throw Self.noPermission(.deleteMailbox) }
        var superior = Substring(newName)
        while let cut = superior.lastIndex(of: Validation.mailboxDelimiter) {
            superior = superior[..<cut]
            guard let id = try mailboxID(db, account: access.owner.id, name: String(superior)), id != mailbox.id else { continue }
            let rights = try self.access(db, actor, mailbox: id)?.rights ?? []
            guard rights.contains(.createMailbox) else { throw Self.noPermission(.createMailbox) }
            return
        }
        throw Self.noPermission(.createMailbox)
    }
}
