import Foundation
import GRDB
import StoreAPI

/// Access control lists (RFC 4314) and the authorization every mailbox route goes through.
///
/// Every route that names a mailbox does so as `(account, id)`, `account` being who acts. The
/// owner has every right, always (RFC 4314 §2.1 lets the server fix the owner's rights; here
/// nobody, the owner included, can lock the owner out of administering). Anyone else has the
/// union of the grants to their account and to `anyone` — `anyone` meaning every account of
/// the owner's domain, never another domain's: only accounts of the owner's domain can be
/// granted anything.
///
/// A mailbox of another account on which one holds no right is answered as not existing (RFC
/// 4314 §4: its existence must not leak); with some rights but not the one a route needs,
/// `no-permission` (403).
extension SQLiteStorage {
    /// Who owns a mailbox and what the account acting may do with it.
    struct MailboxAccess {
        var owner: AccountRow
        var rights: MailboxRights
        var isOwner: Bool
    }

    /// The access of `account` to `mailbox`, checked against `need`: the owner's account row
    /// (what changes are logged under) and the rights held.
    func authorize(_ db: Database, _ account: String, mailbox: Int64, need: MailboxRights) throws -> MailboxAccess {
        let actor = try accountRow(db, account)
        return try authorize(db, actor, mailbox: mailbox, need: need)
    }

    func authorize(_ db: Database, _ actor: AccountRow, mailbox: Int64, need: MailboxRights) throws -> MailboxAccess {
        let access = try self.access(db, actor, mailbox: mailbox)
        // RFC 4314 §4: a mailbox on which one holds no right does not exist, as far as one knows.
        guard let access, !access.rights.isEmpty else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
        guard access.rights.contains(need) else { throw Self.noPermission(need.subtracting(access.rights)) }
        return access
    }

    static func noPermission(_ missing: MailboxRights) -> StoreError {
        StoreError(.forbidden, APIErrorCode.noPermission, "the right \(missing) is not granted on this mailbox")
    }

    /// nil when the mailbox does not exist; otherwise its owner and `actor`'s rights on it
    /// (possibly none).
    func access(_ db: Database, _ actor: AccountRow, mailbox: Int64) throws -> MailboxAccess? {
        let statement = try db.cachedStatement(
            sql: "SELECT m.account_id, o.address, o.domain_id FROM mailboxes m JOIN accounts o ON o.id = m.account_id WHERE m.id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [mailbox]) else { return nil }
        let owner = AccountRow(id: row["account_id"], address: row["address"])
        if owner.id == actor.id { return MailboxAccess(owner: owner, rights: .all, isOwner: true) }
        let granted = try Int64.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT a.rights FROM acl a WHERE a.mailbox_id = ? AND (a.grantee_id = ?
                        OR (a.identifier = 'anyone' AND (SELECT domain_id FROM accounts WHERE id = ?) = ?))
                    """), arguments: [mailbox, actor.id, actor.id, row["domain_id"] as Int64])
        let rights = granted.reduce(into: MailboxRights()) { $0.formUnion(Self.rights($1)) }
        return MailboxAccess(owner: owner, rights: rights.intersection(.all), isOwner: false)
    }

    public func acl(account: String, mailboxID: Int64) async throws -> ACLList {
        try await pool.read { db in
            let access = try self.authorize(db, account, mailbox: mailboxID, need: .administer)
            return try self.aclList(db, access.owner, mailbox: mailboxID)
        }
    }

    func aclList(_ db: Database, _ owner: AccountRow, mailbox: Int64) throws -> ACLList {
        let rows = try Row.fetchAll(
            db, sql: "SELECT identifier, rights FROM acl WHERE mailbox_id = ? ORDER BY identifier", arguments: [mailbox])
        let entries = rows.map { row in
            ACLEntry(
                identifier: row["identifier"],
                rights: Self.rights(row["rights"]).description)
        }
        return ACLList(
            owner: owner.address, entries: [ACLEntry(identifier: owner.address, rights: MailboxRights.all.description)] + entries)
    }

    public func setACL(account: String, mailboxID: Int64, _ request: SetACLRequest) async throws -> ACLUpdate {
        guard let given = MailboxRights(request.rights) else {
            throw StoreError.badRequest(APIErrorCode.invalidRights, "rights are letters of lrswipkxtea (and c, d)")
        }
        return try await pool.write { db in
            let access = try self.authorize(db, account, mailbox: mailboxID, need: .administer)
            let grantee = try self.grantee(db, request.identifier, owner: access.owner)
            let old = try Int64.fetchOne(
                db, sql: "SELECT rights FROM acl WHERE mailbox_id = ? AND identifier = ?", arguments: [mailboxID, grantee.identifier])
            let current = Self.rights(old)
            let new: MailboxRights
            switch request.modification ?? .replace {
            case .replace: new = given
            case .add: new = current.union(given)
            case .remove: new = current.subtracting(given)
            }
            if new.isEmpty {
                // RFC 4314 §3.1: an empty rights string removes the identifier from the ACL.
                try db.execute(sql: "DELETE FROM acl WHERE mailbox_id = ? AND identifier = ?", arguments: [mailboxID, grantee.identifier])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO acl (mailbox_id, identifier, grantee_id, rights) VALUES (?, ?, ?, ?)
                        ON CONFLICT (mailbox_id, identifier) DO UPDATE SET rights = excluded.rights
                        """, arguments: [mailboxID, grantee.identifier, grantee.id, Int64(new.rawValue)])
            }
            let touched = try self.logRightsChanges(
                db, owner: access.owner, mailbox: mailboxID, identifier: grantee.identifier, granteeID: grantee.id, old: current, new: new)
            return ACLUpdate(list: try self.aclList(db, access.owner, mailbox: mailboxID), grantees: touched)
        }
    }

    @discardableResult
    public func deleteACL(account: String, mailboxID: Int64, identifier: String) async throws -> ACLUpdate {
        try await pool.write { db in
            let access = try self.authorize(db, account, mailbox: mailboxID, need: .administer)
            let grantee = try self.grantee(db, identifier, owner: access.owner)
            let old = try Int64.fetchOne(
                db, sql: "SELECT rights FROM acl WHERE mailbox_id = ? AND identifier = ?", arguments: [mailboxID, grantee.identifier])
            try db.execute(sql: "DELETE FROM acl WHERE mailbox_id = ? AND identifier = ?", arguments: [mailboxID, grantee.identifier])
            let touched = try self.logRightsChanges(
                db, owner: access.owner, mailbox: mailboxID, identifier: grantee.identifier, granteeID: grantee.id,
                old: Self.rights(old), new: [])
            return ACLUpdate(list: try self.aclList(db, access.owner, mailbox: mailboxID), grantees: touched)
        }
    }

    /// `anyone`, or an account of the owner's domain other than the owner (whose rights are
    /// fixed). Another domain's account, one that does not exist, or a negative identifier
    /// (RFC 4314 §2, not supported) is refused.
    private func grantee(_ db: Database, _ raw: String, owner: AccountRow) throws -> (identifier: String, id: Int64?) {
        if raw.lowercased() == "anyone" { return ("anyone", nil) }
        guard let address = Validation.address(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidIdentifier, "an identifier is anyone or an account of the owner's domain")
        }
        if address == owner.address {
            throw StoreError.badRequest(APIErrorCode.invalidIdentifier, "the owner's rights are fixed: all of them")
        }
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.id FROM accounts a JOIN accounts o ON o.id = ?
                    WHERE a.address = ? AND a.domain_id = o.domain_id
                    """, arguments: [owner.id, address])
        else {
            throw StoreError.badRequest(APIErrorCode.invalidIdentifier, "only accounts of the owner's domain can be granted rights")
        }
        return (address, row["id"])
    }

    public func mailboxOwners(_ ids: [Int64]) async throws -> [Int64] {
        try await pool.read { db in
            try ids.compactMap { id in
                try Int64.fetchOne(db.cachedStatement(sql: "SELECT account_id FROM mailboxes WHERE id = ?"), arguments: [id])
            }
        }
    }

    public func myRights(account: String, mailboxID: Int64) async throws -> MyRights {
        try await pool.read { db in
            let actor = try self.accountRow(db, account)
            guard let access = try self.access(db, actor, mailbox: mailboxID), !access.rights.isEmpty else {
                throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
            }
            return MyRights(owner: access.owner.address, rights: access.rights.description)
        }
    }

    /// Other accounts' mailboxes `account` may look up, with the rights held, by owner and name.
    public func sharedMailboxes(account: String) async throws -> [SharedMailbox] {
        try await pool.read { db in
            let actor = try self.accountRow(db, account)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.mailboxColumnsWithoutCounts), o.address AS owner, g.rights AS granted
                    FROM (SELECT a.mailbox_id, a.rights FROM acl a WHERE a.grantee_id = ?
                          UNION ALL
                          SELECT a.mailbox_id, a.rights FROM acl a JOIN mailboxes m ON m.id = a.mailbox_id
                              JOIN accounts o ON o.id = m.account_id
                          WHERE a.identifier = 'anyone' AND o.domain_id = (SELECT domain_id FROM accounts WHERE id = ?)) g
                    JOIN mailboxes m ON m.id = g.mailbox_id JOIN accounts o ON o.id = m.account_id
                    WHERE m.account_id <> ?
                    ORDER BY o.address, m.name
                    """, arguments: [actor.id, actor.id, actor.id])
            var byID: [Int64: SharedMailbox] = [:]
            var order: [Int64] = []
            for row in rows {
                var info = Self.mailboxInfo(row)
                info.subscribed = false
                let rights = Self.rights(row["granted"])
                if var known = byID[info.id] {
                    known.rights = MailboxRights(known.rights)!.union(rights).description
                    byID[info.id] = known
                } else {
                    byID[info.id] = SharedMailbox(owner: row["owner"], rights: rights.description, mailbox: info)
                    order.append(info.id)
                }
            }
            return order.compactMap { byID[$0] }.filter { MailboxRights($0.rights)?.contains(.lookup) == true }
        }
    }
}

/// Which flags a holder of some rights may change (RFC 4314 §4, STORE and APPEND): `\Seen`
/// with `s`, `\Deleted` with `t`, every other flag and keyword with `w`.
extension FlagSet {
    static func systemMask(_ rights: MailboxRights) -> Int {
        var mask = 0
        if rights.contains(.seen) { mask |= 1 << 0 }
        if rights.contains(.deleteMessage) { mask |= 1 << 3 }
        if rights.contains(.write) { mask |= (1 << 1) | (1 << 2) | (1 << 4) }
        return mask
    }

    /// The flags of this set that `rights` allow to change.
    func allowed(by rights: MailboxRights) -> FlagSet {
        var set = self
        set.bits &= Self.systemMask(rights)
        if !rights.contains(.write) { set.keywords = [] }
        return set
    }

    /// The flags of this set that `rights` do not allow to change (kept by a FLAGS replace).
    func kept(by rights: MailboxRights) -> FlagSet {
        var set = self
        set.bits &= ~Self.systemMask(rights)
        if rights.contains(.write) { set.keywords = [] }
        return set
    }

    var isEmpty: Bool { bits == 0 && keywords.isEmpty }
}
