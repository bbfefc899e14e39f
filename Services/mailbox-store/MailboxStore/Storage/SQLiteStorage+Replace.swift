import GRDB
import StoreAPI

/// IMAP REPLACE (RFC 8508 §3.3): the new message appended and the old one expunged in one
/// write, APPEND's and EXPUNGE's own steps (`insertAppended`, `expungeMessages`) run together.
///
/// One transaction makes the replacement whole: a refusal of either half (rights, quota, a
/// mailbox gone, UIDs used up) stores nothing and leaves the old message where it was, and no
/// failure in between can leave both. The quota (RFC 9208 §4.3) is checked once, on the net
/// change for the target's owner: when the old message is that owner's too, what it frees
/// counts, so a draft saved again at MESSAGE 100/100, or no bigger than before at a full
/// STORAGE, fits. An old message another session has expunged already is not an error: the
/// new one is still stored, as an APPEND followed by a UID EXPUNGE of nothing would.
extension SQLiteStorage {
    public func replace(
        _ message: AppendedMessage, account: String, mailboxID: Int64, uid: UInt32, target: Int64
    ) async throws -> ReplaceResult {
        let flags = try FlagSet(message.flags)
        let received = now()
        return try await pool.write { db in
            let actor = try self.accountRow(db, account)
            // RFC 4314 §4: EXPUNGE of a message not marked \Deleted needs t and e on the source
            // (as `expunge(onlyDeleted: false)`), APPEND i on the target.
            let source = try self.authorize(db, actor, mailbox: mailboxID, need: [.read, .deleteMessage, .expunge])
            let into = try self.authorize(db, actor, mailbox: target, need: .insert)
            let uidValidity = try self.uidValidity(db, account: into.owner.id, id: target)
            // Appended first, then expunged: the feed says EXISTS before EXPUNGE, as RFC 8508
            // §3.4's example. The quota sees only the sum of both.
            let (copy, expunged) = try self.withinQuota(db, account: into.owner.id) {
                let copy = try self.insertAppended(db, [message], flags: [flags], into: target, access: into, at: received)[0]
                let expunged = try self.expungeMessages(
                    db, owner: source.owner.id, mailbox: mailboxID, uids: UIDSet(uids: [uid]), onlyDeleted: false)
                return (copy, expunged)
            }
            return ReplaceResult(uidValidity: uidValidity, copy: copy, expunged: expunged)
        }
    }
}
