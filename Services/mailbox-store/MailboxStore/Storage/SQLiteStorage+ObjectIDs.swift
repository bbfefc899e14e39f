import GRDB
import StoreAPI

/// RFC 8474 object ids and RFC 8514 save dates of a mailbox's messages (Schema `v10-objectid`,
/// `v10-savedate`).
extension SQLiteStorage {
    public func listMessageObjects(account: String, mailboxID: Int64, uids: UIDSet, after: UInt32, limit: Int) async throws
        -> MessageObjectList
    {
        try await pool.read { db in
            // A shared mailbox's ids are its owner's (its threads too). RFC 4314 §4: r
            let owner = try self.authorize(db, account, mailbox: mailboxID, need: .read).owner
            let set = try self.resolvedSet(db, mailbox: mailboxID, uids)
            let condition = self.uidCondition(set)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT mm.uid, e.email_id, ct.object_id AS thread_id, COALESCE(mm.save_date, mm.internal_date) AS save_date
                    FROM mailbox_messages mm
                    JOIN email_ids e ON e.content_id = mm.content_id
                    LEFT JOIN content_threads ct ON ct.content_id = mm.content_id AND ct.account_id = ?
                    WHERE mm.mailbox_id = ? AND mm.uid > ?\(condition.sql) ORDER BY mm.uid LIMIT ?
                    """, arguments: [owner.id, mailboxID, Int64(after)] + condition.arguments + [limit + 1]
            )
            .filter { set.count <= Self.maxSQLRanges || Self.contains(set, UInt32($0["uid"] as Int64)) }
            let page = rows.prefix(limit).map { row in
                MessageObjects(
                    uid: UInt32(row["uid"] as Int64), emailID: row["email_id"], threadID: row["thread_id"], saveDate: row["save_date"])
            }
            return MessageObjectList(messages: Array(page), nextAfter: rows.count > limit ? page.last?.uid : nil)
        }
    }
}
