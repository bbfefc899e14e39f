import Foundation
import GRDB
import StoreAPI

/// Mailboxes: the IMAP folder tree of an account (RFC 3501 §6.3.3–6.3.6, RFC 6154).
extension SQLiteStorage {
    /// The counts read only `mailbox_messages` (the size kept beside the UID since v11): a
    /// join with `contents` read the first page of every message's row, content and all,
    /// and made a listing of a 100,000-message mailbox take seconds.
    static let mailboxColumns = """
        m.id, m.name, m.special_use, m.object_id,
        EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = m.account_id AND s.name = m.name) AS subscribed,
        m.uid_validity, m.uid_next, m.highest_modseq,
        (SELECT COUNT(*) FROM mailbox_messages mm WHERE mm.mailbox_id = m.id) AS messages,
        (SELECT COUNT(*) FROM mailbox_messages mm WHERE mm.mailbox_id = m.id AND (mm.system_flags & 1) = 0) AS unseen,
        (SELECT COUNT(*) FROM mailbox_messages mm WHERE mm.mailbox_id = m.id AND mm.uid > m.recent_uid) AS recent,
        (SELECT COALESCE(SUM(mm.size), 0) FROM mailbox_messages mm WHERE mm.mailbox_id = m.id) AS size
        """

    static let mailboxColumnsWithoutCounts = """
        m.id, m.name, m.special_use, m.object_id,
        EXISTS (SELECT 1 FROM subscriptions s WHERE s.account_id = m.account_id AND s.name = m.name) AS subscribed,
        m.uid_validity, m.uid_next, m.highest_modseq, 0 AS messages, 0 AS unseen, 0 AS recent, 0 AS size
        """

    static func mailboxInfo(_ row: Row) -> MailboxInfo {
        MailboxInfo(
            id: row["id"], name: row["name"], specialUse: row["special_use"], subscribed: row["subscribed"],
            uidValidity: UInt32(truncatingIfNeeded: row["uid_validity"] as Int64),
            uidNext: UInt32(truncatingIfNeeded: row["uid_next"] as Int64),
            highestModSeq: UInt64(row["highest_modseq"] as Int64),
            messages: row["messages"], unseen: row["unseen"], recent: row["recent"], size: row["size"],
            objectID: row["object_id"])
    }

    func mailboxRow(_ db: Database, account: Int64, id: Int64) throws -> MailboxInfo {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.mailboxColumns) FROM mailboxes m WHERE m.id = ? AND m.account_id = ?",
                arguments: [id, account])
        else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
        return Self.mailboxInfo(row)
    }

    /// That the mailbox exists and is the account's, without `mailboxRow`'s counts (which
    /// read every message of the mailbox: 3 ms of a 4 ms request on a mailbox of 1,000).
    func requireMailbox(_ db: Database, account: Int64, id: Int64) throws {
        let statement = try db.cachedStatement(sql: "SELECT 1 FROM mailboxes WHERE id = ? AND account_id = ?")
        guard try Bool.fetchOne(statement, arguments: [id, account]) != nil else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
    }

    /// The mailbox's UIDVALIDITY, checking it is the account's, without `mailboxRow`'s counts
    /// (an APPEND took them inside the write lock).
    func uidValidity(_ db: Database, account: Int64, id: Int64) throws -> UInt32 {
        let statement = try db.cachedStatement(sql: "SELECT uid_validity FROM mailboxes WHERE id = ? AND account_id = ?")
        guard let value = try Int64.fetchOne(statement, arguments: [id, account]) else {
            throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The mailbox's HIGHESTMODSEQ alone: what a STORE or EXPUNGE answers with, without
    /// `mailboxRow`'s counts over every message.
    func highestModSeq(_ db: Database, mailbox: Int64) throws -> UInt64 {
        let statement = try db.cachedStatement(sql: "SELECT highest_modseq FROM mailboxes WHERE id = ?")
        return UInt64(try Int64.fetchOne(statement, arguments: [mailbox]) ?? 0)
    }

    func mailboxID(_ db: Database, account: Int64, name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM mailboxes WHERE account_id = ? AND name = ?", arguments: [account, name])
    }

    func insertMailbox(_ db: Database, account: Int64, name: String, specialUse: String?, subscribed: Bool) throws -> Int64 {
        let validity = try newUIDValidity(db)
        try db.execute(
            sql: "INSERT INTO mailboxes (account_id, name, special_use, uid_validity, object_id) VALUES (?, ?, ?, ?, ?)",
            arguments: [account, name, specialUse, validity, ObjectIDs.mailbox()])
        let id = db.lastInsertedRowID
        if subscribed { try setSubscription(db, account: account, name: name, subscribed: true) }
        _ = try logChange(db, account: account, kind: .mailboxCreated, mailbox: id, name: name)
        return id
    }

    public func claimRecent(account: String, mailboxID: Int64, upTo: UInt32, claim: Bool) async throws -> RecentClaim {
        // The mark and how far this caller may move it (never past UIDNEXT - 1).
        let read: @Sendable (Database) throws -> (mark: Int64, target: Int64) = { db in
            let owner = try self.authorize(db, account, mailbox: mailboxID, need: .read).owner
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT recent_uid, uid_next FROM mailboxes WHERE id = ? AND account_id = ?", arguments: [mailboxID, owner.id])
            else { throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox") }
            let uidNext: Int64 = row["uid_next"]
            return (row["recent_uid"], min(Int64(upTo), uidNext - 1))
        }
        // Most SELECTs find nothing new to claim: a read says so without taking the write lock
        // (the mark only grows, so what a read finds claimed stays claimed).
        let seen = try await pool.read(read)
        guard claim, seen.target > seen.mark else { return RecentClaim(from: UInt32(clamping: seen.mark)) }
        // Read again and moved in one write transaction: SQLite runs one writer at a time, so
        // two sessions (on any gateways) claiming at once get disjoint ranges. RFC 3501 §2.3.2
        let mark = try await pool.write { db in
            let now = try read(db)
            if now.target > now.mark {
                try db.execute(sql: "UPDATE mailboxes SET recent_uid = ? WHERE id = ?", arguments: [now.target, mailboxID])
            }
            return now.mark
        }
        return RecentClaim(from: UInt32(clamping: mark))
    }

    public func listMailboxes(account: String, counts: Bool) async throws -> [MailboxInfo] {
        try await pool.read { db in
            let owner = try self.accountRow(db, account)
            // Counting a mailbox reads all its messages: 20 ms of every SELECT of a mailbox of
            // 1,000 under the IMAP command mix, for numbers SELECT does not use.
            let columns = counts ? Self.mailboxColumns : Self.mailboxColumnsWithoutCounts
            // Cached (two shapes): every SELECT lists.
            let statement = try db.cachedStatement(
                sql: "SELECT \(columns) FROM mailboxes m WHERE m.account_id = ? ORDER BY m.name = 'INBOX' DESC, m.name")
            return try Row.fetchAll(statement, arguments: [owner.id]).map(Self.mailboxInfo)
        }
    }

    public func mailbox(account: String, id: Int64) async throws -> MailboxInfo {
        try await pool.read { db in
            // Its counts are STATUS, which needs `r` (RFC 4314 §4); the owner's row holds it.
            try self.mailboxRow(db, account: try self.authorize(db, account, mailbox: id, need: .read).owner.id, id: id)
        }
    }

    public func createMailbox(account: String, _ request: CreateMailboxRequest) async throws -> MailboxCreation {
        try await pool.write { db in
            let actor = try self.accountRow(db, account)
            var owner = actor
            var isOwner = true
            if let parentID = request.parentID {
                // The parent names whose namespace it is; the right that counts is `k` on the
                // nearest mailbox that exists above the new name (RFC 4314 §4), checked by mayCreate.
                guard let access = try self.access(db, actor, mailbox: parentID), !access.rights.isEmpty else {
                    throw StoreError.notFound(APIErrorCode.mailboxNotFound, "no such mailbox")
                }
                (owner, isOwner) = (access.owner, access.isOwner)
                if !isOwner {
                    try self.mayCreate(db, actor, owner: owner, name: request.name)
                    // A special use is the owner's to give (RFC 6154: one per account).
                    guard request.specialUse == nil else { throw Self.noPermission(.administer) }
                }
            }
            let name = request.name
            guard try self.mailboxID(db, account: owner.id, name: name) == nil else {
                throw StoreError.conflict(APIErrorCode.alreadyExists, "mailbox exists")
            }
            // RFC 6154 §3: one mailbox per special use; a second is refused (IMAP NO [USEATTR]).
            if let use = request.specialUse,
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM mailboxes WHERE account_id = ? AND special_use = ?", arguments: [owner.id, use]) != nil
            {
                throw StoreError.conflict(APIErrorCode.specialUseInUse, "another mailbox has this special use")
            }
            // A subscription is the subscriber's own: another account creating here leaves the
            // owner's alone.
            let subscribed = isOwner && request.subscribed ?? true
            let (above, madeFor) = try self.makeSuperiors(db, owner: owner, of: name, subscribed: subscribed)
            let id = try self.insertMailbox(db, account: owner.id, name: name, specialUse: request.specialUse, subscribed: subscribed)
            let grantees = madeFor.union(try self.inheritACL(db, to: id, from: above, owner: owner))
            return MailboxCreation(info: try self.mailboxRow(db, account: owner.id, id: id), grantees: grantees)
        }
    }

    public func updateMailbox(account: String, id: Int64, _ request: UpdateMailboxRequest) async throws -> MailboxInfo {
        try await pool.write { db in
            let actor = try self.accountRow(db, account)
            let access = try self.authorize(db, actor, mailbox: id, need: [])
            let owner = access.owner
            let current = try self.mailboxRow(db, account: owner.id, id: id)
            if !access.isOwner {
                // Another account may only rename (RFC 4314 §4); the subscription is the owner's.
                guard let newName = request.name, newName != current.name, request.subscribed == nil else {
                    throw Self.noPermission(.deleteMailbox)
                }
                try self.mayRename(db, actor, access, current, to: newName)
                let renamed = try self.rename(db, owner: owner, mailbox: current, to: newName)
                // Its counts only with `r`, as STATUS (RFC 4314 §4).
                return access.rights.contains(.read)
                    ? try self.mailboxRow(db, account: owner.id, id: renamed) : try self.mailboxRowWithoutCounts(db, id: renamed)
            }
            var result = current
            if let newName = request.name, newName != current.name {
                result = try self.mailboxRow(db, account: owner.id, id: try self.rename(db, owner: owner, mailbox: current, to: newName))
            }
            // After the rename: the subscription asked for is the new name's.
            if let subscribed = request.subscribed, subscribed != result.subscribed {
                try self.setSubscription(db, account: owner.id, name: result.name, subscribed: subscribed)
                _ = try self.logChange(db, account: owner.id, kind: .mailboxSubscription, mailbox: result.id, name: result.name)
                result.subscribed = subscribed
            }
            return result
        }
    }

    /// RFC 3501 §6.3.5: inferior names move along; renaming INBOX moves its messages to a new
    /// mailbox and leaves INBOX empty. Answers the id that now carries the new name.
    /// Subscriptions stay as they are (RFC 9051 §6.3.6: "renaming a mailbox doesn't update
    /// subscription information on the original name"): neither the new name nor superiors
    /// made on the way are subscribed.
    private func rename(_ db: Database, owner: AccountRow, mailbox: MailboxInfo, to newName: String) throws -> Int64 {
        let account = owner.id
        guard try mailboxID(db, account: account, name: newName) == nil else {
            throw StoreError.conflict(APIErrorCode.alreadyExists, "a mailbox with the new name exists")
        }
        guard !newName.hasPrefix(mailbox.name + "/") else {
            throw StoreError.badRequest(APIErrorCode.invalidMailboxName, "cannot move a mailbox below itself")
        }
        if mailbox.name == "INBOX" {
            let above = try makeSuperiors(db, owner: owner, of: newName, subscribed: false).above
            let target = try insertMailbox(db, account: account, name: newName, specialUse: nil, subscribed: false)
            try inheritACL(db, to: target, from: above, owner: owner)
            _ = try copyMessages(db, account: account, from: mailbox.id, uids: [1...UInt32.max], to: target, move: true)
            // RFC 5464 §4.1: renaming INBOX copies its METADATA entries to the new mailbox
            // (every account's: a reader's `/private` ones too).
            try db.execute(
                sql:
                    "INSERT INTO metadata (account_id, mailbox_id, name, value) SELECT account_id, ?, name, value FROM metadata WHERE mailbox_id = ?",
                arguments: [target, mailbox.id])
            return target
        }
        let children = try Row.fetchAll(
            db, sql: "SELECT id, name FROM mailboxes WHERE account_id = ? AND (name = ? OR name LIKE ? ESCAPE '\\')",
            arguments: [account, mailbox.name, Self.likePrefix(mailbox.name + "/")])
        for row in children {
            let id: Int64 = row["id"]
            let old: String = row["name"]
            let renamed = newName + old.dropFirst(mailbox.name.count)
            guard Validation.mailboxName(renamed) != nil else {
                throw StoreError.badRequest(APIErrorCode.invalidMailboxName, "a child's new name would be too long or too deep")
            }
            try db.execute(sql: "UPDATE mailboxes SET name = ? WHERE id = ?", arguments: [renamed, id])
            _ = try logChange(db, account: account, kind: .mailboxRenamed, mailbox: id, name: renamed)
        }
        // The new name's superiors exist afterwards, as after CREATE.
        _ = try makeSuperiors(db, owner: owner, of: newName, subscribed: false)
        return mailbox.id
    }

    static func likePrefix(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    public func deleteMailbox(account: String, id: Int64) async throws {
        try await pool.write { db in
            let owner = try self.authorize(db, account, mailbox: id, need: .deleteMailbox).owner  // RFC 4314 §4 DELETE: x
            let mailbox = try self.mailboxRow(db, account: owner.id, id: id)
            guard mailbox.name != "INBOX" else {
                throw StoreError.badRequest(APIErrorCode.cannotDeleteInbox, "INBOX cannot be deleted")
            }
            let children =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM mailboxes WHERE account_id = ? AND name LIKE ? ESCAPE '\\'",
                    arguments: [owner.id, Self.likePrefix(mailbox.name + "/")]) ?? 0
            guard children == 0 else {
                throw StoreError.conflict(APIErrorCode.mailboxNotEmpty, "the mailbox has children; delete them first")
            }
            // Its grants go with it; its readers still see the deletion in the owner's feed.
            let readers = try self.deletionReaders(db, mailbox: id)
            let contents = try Int64.fetchAll(db, sql: "SELECT content_id FROM mailbox_messages WHERE mailbox_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM mailbox_messages WHERE mailbox_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM mailboxes WHERE id = ?", arguments: [id])
            try self.collectUnreferencedContents(db, candidates: contents)
            // Logged after the row is gone; logChange's HIGHESTMODSEQ update then touches nothing.
            _ = try self.logChange(db, account: owner.id, kind: .mailboxDeleted, mailbox: id, flags: readers, name: mailbox.name)
        }
    }
}
