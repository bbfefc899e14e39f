import Foundation
import GRDB
import StoreAPI

/// The change log read side.
extension SQLiteStorage {
    /// `reader`: another account reading this one's feed, which gets only the changes of the
    /// mailboxes it may read (`r`, RFC 4314), the renames of those it may look up and the
    /// deletions of those it had a right on (`readerFilter`), and nothing when there are none.
    public func changes(account: String, since: UInt64, limit: Int, reader: String? = nil) async throws -> ChangeFeed {
        // The owner's feed, nothing committed for the account since its head was read: nothing
        // after `since`. (Another reader's rights are checked by the read below.)
        if reader == nil || reader == account, let known = feedHeads.head(account), since >= known.head {
            return ChangeFeed(highestModSeq: known.head, changes: [], more: false)
        }
        let ticket = feedHeads.ticket(account)
        let (id, feed) = try await pool.read { db in
            let owner = try self.accountRow(db, account)
            let highest = try self.feedHead(db, account: owner.id)
            var filter = ""
            if let reader, reader != account {
                guard let readable = try self.readerFilter(db, owner: owner, reader: reader, since: since) else {
                    throw StoreError.notFound(APIErrorCode.userNotFound, "no such account")
                }
                filter = readable
            }
            let sql = """
                SELECT modseq, kind, mailbox_id, uid, flags, name FROM changes
                WHERE account_id = ? AND modseq > ?\(filter) ORDER BY modseq LIMIT ?
                """
            // The owner's read (the one every session makes) is one cached statement; another
            // reader's filter names its mailboxes, so it is compiled for the request.
            let arguments: StatementArguments = [owner.id, Int64(clamping: since), limit + 1]
            let rows =
                try filter.isEmpty
                ? Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) : Row.fetchAll(db, sql: sql, arguments: arguments)
            let changes = rows.prefix(limit).map { row -> Change in
                let uid: Int64? = row["uid"]
                let kind = Change.Kind(rawValue: row["kind"]) ?? .flags
                // A deletion's flags are who held rights on the mailbox: the store's to filter by.
                let flags: String? = kind == .mailboxDeleted ? nil : row["flags"]
                return Change(
                    modSeq: UInt64(row["modseq"] as Int64),
                    kind: kind,
                    mailboxID: row["mailbox_id"], uid: uid.map { UInt32($0) },
                    flags: flags.map { $0.split(separator: " ").map(String.init) },
                    name: row["name"])
            }
            return (owner.id, ChangeFeed(highestModSeq: highest, changes: Array(changes), more: rows.count > limit))
        }
        feedHeads.record(account, id: id, head: feed.highestModSeq, ticket)
        return feed
    }

    public func accountModSeqs(_ addresses: [String]) async throws -> [String: (id: Int64, modSeq: UInt64)] {
        try await pool.read { db in
            var out: [String: (id: Int64, modSeq: UInt64)] = [:]
            // The addresses as one JSON array: one cached statement whatever their number (a
            // gateway's watch asks at every change of any of its accounts).
            let list = String(decoding: try JSONEncoder().encode(addresses), as: UTF8.self)
            let statement = try db.cachedStatement(
                sql: "SELECT id, address, modseq FROM accounts WHERE address IN (SELECT value FROM json_each(?))")
            for row in try Row.fetchAll(statement, arguments: [list]) {
                out[row["address"]] = (row["id"], UInt64(row["modseq"] as Int64))
            }
            return out
        }
    }
}
