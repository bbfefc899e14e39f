import Foundation
import GRDB
import StoreAPI

/// What a SETACL or DELETEACL did: the mailbox's list now, and the accounts whose rights on it
/// changed (each got a `mailbox-rights` entry in its feed), whose feed readers are to be woken.
public struct ACLUpdate: Sendable {
    public var list: ACLList
    public var grantees: [Int64]
}

/// Grants in the change feeds (RFC 4314, RFC 5465 §5.4 and §5.9): a grant that changes what an
/// account may do with another's mailbox is logged in the grantee's feed, where its sessions
/// look (it may not read the owner's feed yet, having had no right there). The owner's feed
/// and the mailbox's HIGHESTMODSEQ are left alone: nothing in the mailbox changed.
///
/// A deleted mailbox's grants go with it (RFC 4314 §3), so the deletion's entry in the owner's
/// feed keeps who held a right on it: those readers of the owner's feed still see it.
extension SQLiteStorage {
    /// Logs a `mailbox-rights` change for every account whose rights change when
    /// `identifier`'s grant on `mailbox` goes from `old` to `new`: the grantee, or every account
    /// of the owner's domain for `anyone` (each holding the union of its grant and anyone's).
    /// Answers their ids.
    func logRightsChanges(
        _ db: Database, owner: AccountRow, mailbox: Int64, identifier: String, granteeID: Int64?, old: MailboxRights, new: MailboxRights
    ) throws -> [Int64] {
        guard old != new, let name = try String.fetchOne(db, sql: "SELECT name FROM mailboxes WHERE id = ?", arguments: [mailbox])
        else { return [] }
        // (account, the rights it holds besides this grant)
        var holders: [(id: Int64, besides: MailboxRights)] = []
        if let granteeID {
            let anyone = try Int64.fetchOne(
                db, sql: "SELECT rights FROM acl WHERE mailbox_id = ? AND identifier = 'anyone'", arguments: [mailbox])
            holders = [(granteeID, Self.rights(anyone))]
        } else {
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, g.rights FROM accounts a JOIN accounts o ON o.id = ?
                    LEFT JOIN acl g ON g.mailbox_id = ? AND g.grantee_id = a.id
                    WHERE a.domain_id = o.domain_id AND a.id <> o.id
                    """, arguments: [owner.id, mailbox])
            holders = rows.map { ($0["id"], Self.rights($0["rights"])) }
        }
        var touched: [Int64] = []
        for holder in holders {
            let before = holder.besides.union(old).intersection(.all)
            let after = holder.besides.union(new).intersection(.all)
            guard before != after else { continue }
            let modseq = try nextModSeq(db, account: holder.id)
            try db.cachedStatement(
                sql: "INSERT INTO changes (account_id, modseq, kind, mailbox_id, flags, name) VALUES (?, ?, ?, ?, ?, ?)"
            ).execute(arguments: [holder.id, modseq, Change.Kind.rights.rawValue, mailbox, after.description, owner.address + "/" + name])
            touched.append(holder.id)
        }
        return touched
    }

    /// Rights as the `acl` table keeps them (a bit set, `MailboxRights.rawValue`).
    static func rights(_ raw: Int64?) -> MailboxRights {
        MailboxRights(rawValue: UInt16(truncatingIfNeeded: raw ?? 0))
    }

    /// Who held a right on the mailbox, for its deletion's entry (its `flags` column, never
    /// answered): grantees' account ids and `anyone`; nil when it was not shared.
    func deletionReaders(_ db: Database, mailbox: Int64) throws -> [String]? {
        let rows = try Row.fetchAll(db, sql: "SELECT identifier, grantee_id FROM acl WHERE mailbox_id = ?", arguments: [mailbox])
        let readers = rows.map { row in (row["grantee_id"] as Int64?).map(String.init) ?? "anyone" }
        return readers.isEmpty ? nil : readers
    }

    /// The SQL condition on `changes` rows that `reader` (not the owner) may see of the owner's
    /// feed: the changes of the mailboxes it may read (`r`), the renames of those it may look up
    /// (`l`) and the deletions of those it held a right on. nil when it may see nothing at all
    /// after `since`: then the owner's feed does not exist as far as it knows (RFC 4314 §4).
    func readerFilter(_ db: Database, owner: AccountRow, reader: String, since: UInt64) throws -> String? {
        let actor = try accountRow(db, reader)
        let sameDomain =
            try Bool.fetchOne(
                db, sql: "SELECT (SELECT domain_id FROM accounts WHERE id = ?) = (SELECT domain_id FROM accounts WHERE id = ?)",
                arguments: [actor.id, owner.id]) ?? false
        // The reader's rights on each of the owner's mailboxes, in one read of the grants (a
        // feed read by another account is on the IDLE and NOTIFY paths): its own grant and,
        // in the owner's domain, anyone's.
        var held: [Int64: MailboxRights] = [:]
        let grants = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT g.mailbox_id, g.rights FROM acl g JOIN mailboxes m ON m.id = g.mailbox_id
                    WHERE m.account_id = ? AND (g.grantee_id = ? OR (g.identifier = 'anyone' AND ?))
                    """), arguments: [owner.id, actor.id, sameDomain])
        for grant in grants { held[grant["mailbox_id"], default: []].formUnion(Self.rights(grant["rights"])) }
        let readable = held.filter { $0.value.contains(.read) }.keys.sorted()
        let visible = held.filter { $0.value.contains(.lookup) }.keys.sorted()
        // A name among the space-separated readers of a deletion's entry.
        let named = { (word: String) in "instr(' ' || COALESCE(flags, '') || ' ', ' \(word) ') > 0" }
        let deletion =
            "(kind = '\(Change.Kind.mailboxDeleted.rawValue)' AND (\(named(String(actor.id)))\(sameDomain ? " OR " + named("anyone") : "")))"
        if readable.isEmpty && visible.isEmpty {
            let any = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM changes WHERE account_id = ? AND modseq > ? AND \(deletion))",
                arguments: [owner.id, Int64(clamping: since)])
            guard any == true else { return nil }
        }
        let list = { (ids: [Int64]) in ids.map(String.init).joined(separator: ",") }
        return """
             AND (mailbox_id IN (\(list(readable))) OR (kind = '\(Change.Kind.mailboxRenamed.rawValue)' AND mailbox_id IN (\(list(visible))))
                OR \(deletion))
            """
    }
}
