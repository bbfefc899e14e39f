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
    /// Answers the accounts whose feeds were written (whose readers are to be woken).
    @discardableResult
    func inheritACL(_ db: Database, to mailbox: Int64, from superior: Int64?, owner: AccountRow) throws -> Set<Int64> {
        guard let superior else { return [] }
        var grantees = Set<Int64>()
        let grants = try Row.fetchAll(
            db, sql: "SELECT identifier, grantee_id, rights FROM acl WHERE mailbox_id = ?", arguments: [superior])
        for grant in grants {
            let rights = Self.rights(grant["rights"])
            try db.execute(
                sql: "INSERT INTO acl (mailbox_id, identifier, grantee_id, rights) VALUES (?, ?, ?, ?)",
                arguments: [mailbox, grant["identifier"] as String, grant["grantee_id"] as Int64?, Int64(rights.rawValue)])
            grantees.formUnion(
                try logRightsChanges(
                    db, owner: owner, mailbox: mailbox, identifier: grant["identifier"], granteeID: grant["grantee_id"], old: [],
                    new: rights))
        }
        return grantees
    }

    /// RFC 4314 §4: RENAME needs `x` on the mailbox and `k` where the new name goes (see
    /// mayCreate). INBOX is renamed by its owner only: its messages move to a new mailbox.
    func mayRename(_ db: Database, _ actor: AccountRow, _ access: MailboxAccess, _ mailbox: MailboxInfo, to newName: String) throws {
        guard access.rights.contains(.deleteMailbox), mailbox.name != "INBOX" else { throw Self.noPermission(.deleteMailbox) }
        try mayCreate(db, actor, owner: access.owner, name: newName)
    }

    /// RFC 4314 §4: CREATE needs `k` on the parent; for a name several levels down, on the
    /// nearest mailbox that exists above it (the levels between are made there and take its
    /// ACL). The top of the owner's namespace has no parent to hold `k`. Refused alike whether
    /// that mailbox holds no right of the actor's or the wrong one.
    func mayCreate(_ db: Database, _ actor: AccountRow, owner: AccountRow, name: String) throws {
        guard let superior = try nearestSuperior(db, owner: owner.id, of: name),
            try access(db, actor, mailbox: superior)?.rights.contains(.createMailbox) == true
        else { throw Self.noPermission(.createMailbox) }
    }

    /// The nearest mailbox of `owner` above `name` that exists.
    func nearestSuperior(_ db: Database, owner: Int64, of name: String) throws -> Int64? {
        var superior = Substring(name)
        while let cut = superior.lastIndex(of: Validation.mailboxDelimiter) {
            superior = superior[..<cut]
            if let id = try mailboxID(db, account: owner, name: String(superior)) { return id }
        }
        return nil
    }

    /// RFC 3501 §6.3.3: the superior names `name` needs, made where missing, each taking the
    /// ACL of the one above it. Answers the mailbox right above `name` (nil at the top) and the
    /// accounts the grants copied were logged for.
    func makeSuperiors(_ db: Database, owner: AccountRow, of name: String, subscribed: Bool) throws -> (above: Int64?, grantees: Set<Int64>)
    {
        let levels = name.split(separator: Validation.mailboxDelimiter).map(String.init)
        var above: Int64?
        var grantees = Set<Int64>()
        for depth in 1..<max(levels.count, 1) {
            let parent = levels[0..<depth].joined(separator: "/")
            if let existing = try mailboxID(db, account: owner.id, name: parent) {
                above = existing
            } else {
                let id = try insertMailbox(db, account: owner.id, name: parent, specialUse: nil, subscribed: subscribed)
                grantees.formUnion(try inheritACL(db, to: id, from: above, owner: owner))
                above = id
            }
        }
        return (above, grantees)
    }

    /// A mailbox without its counts (for an account that may not read them, RFC 4314 §4).
    func mailboxRowWithoutCounts(_ db: Database, id: Int64) throws -> MailboxInfo {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.mailboxColumnsWithoutCounts) FROM mailboxes m WHERE m.id = ?", arguments: [id])
        else { throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox") }
        return Self.mailboxInfo(row)
    }
}

/// A new mailbox, and the other accounts whose feeds it was logged in because it took its
/// parent's ACL (their readers are to be woken).
public struct MailboxCreation: Sendable {
    public var info: MailboxInfo
    public var grantees: Set<Int64>
}
