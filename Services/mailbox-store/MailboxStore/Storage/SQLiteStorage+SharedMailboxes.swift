import GRDB
import StoreAPI

/// Creating and renaming mailboxes in another account's namespace (RFC 4314 §4), and the ACL a
/// new mailbox takes from the one above it.
extension SQLiteStorage {
    /// A new mailbox takes the ACL of its nearest superior (none at the top): a folder shared
    /// with a team shares its new subfolders alike, and whoever made one with `k` can still
    /// see it. Copied, not linked: changing the parent's ACL later leaves the child's.
    func inheritACL(_ db: Database, to mailbox: Int64, from superior: Int64?) throws {
        guard let superior else { return }
        try db.execute(
            sql:
                "INSERT INTO acl (mailbox_id, identifier, grantee_id, rights) SELECT ?, identifier, grantee_id, rights FROM acl WHERE mailbox_id = ?",
            arguments: [mailbox, superior])
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
