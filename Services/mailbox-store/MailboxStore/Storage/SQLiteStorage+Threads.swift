import GRDB
import MessageSearch
import MessageThreading

/// Thread ids kept at delivery (Schema `v8-thread-ids`): a message joins the thread of any
/// message id it shares with mail the account already has — its Message-ID, In-Reply-To or
/// References (RFC 5256 §3's links; RFC 5322 §3.6.4) — and threads it links are merged into the
/// oldest. A message with no known link starts a thread named by its content id (unique, and
/// stable). Not RFC 5256's THREAD order (that is computed per request from the index); this is
/// the conversation a message belongs to, one lookup away.
extension SQLiteStorage {
    func assignThread(_ db: Database, account: Int64, contentID: Int64, _ entry: MessageIndexEntry) throws {
        guard
            try Int64.fetchOne(
                db, sql: "SELECT 1 FROM content_threads WHERE account_id = ? AND content_id = ?", arguments: [account, contentID]) == nil
        else { return }
        var ids = MessageIDs.parse(entry.references)
        if let id = MessageIDs.first(entry.inReplyTo) { ids.append(id) }
        if let id = MessageIDs.first(entry.messageID) { ids.append(id) }
        ids = Array(Set(ids))
        var threads: [Int64] = []
        for id in ids {
            if let thread = try Int64.fetchOne(
                db, sql: "SELECT thread_id FROM thread_ids WHERE account_id = ? AND message_id = ?", arguments: [account, id])
            {
                threads.append(thread)
            }
        }
        let thread = threads.min() ?? contentID
        for other in Set(threads) where other != thread {
            try db.execute(
                sql: "UPDATE thread_ids SET thread_id = ? WHERE account_id = ? AND thread_id = ?", arguments: [thread, account, other])
            try db.execute(
                sql: "UPDATE content_threads SET thread_id = ? WHERE account_id = ? AND thread_id = ?",
                arguments: [thread, account, other])
        }
        for id in ids {
            try db.execute(
                sql: "INSERT OR REPLACE INTO thread_ids (account_id, message_id, thread_id) VALUES (?, ?, ?)",
                arguments: [account, id, thread])
        }
        // RFC 8474 §5.2 THREADID: the thread's id as its messages already carry it; a message
        // keeps the one it got even when a later message merges its thread into another
        // (RFC 8621 §4.1.1: immutable), so a merged thread may show two.
        let objectID = try String.fetchOne(db, sql: Self.threadObjectIDSQL, arguments: [account, thread]) ?? ObjectIDs.thread()
        try db.execute(
            sql: "INSERT INTO content_threads (account_id, content_id, thread_id, object_id) VALUES (?, ?, ?, ?)",
            arguments: [account, contentID, thread, objectID])
    }

    /// A thread's object id. Named index: without it SQLite walks the account's every
    /// `content_threads` row by primary key (account_id alone) to read `object_id`, once per
    /// delivery — 570 deliveries/s into an empty mailbox fell to 213/s at 35,000 messages.
    static let threadObjectIDSQL = """
        SELECT object_id FROM content_threads INDEXED BY content_threads_thread
        WHERE account_id = ? AND thread_id = ? AND object_id IS NOT NULL LIMIT 1
        """

    /// Thread ids for content indexed after delivery (the background indexer): every account
    /// holding it.
    func assignThreads(_ db: Database, contentID: Int64, _ entry: MessageIndexEntry) throws {
        let accounts = try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT m.account_id FROM mailbox_messages mm JOIN mailboxes m ON m.id = mm.mailbox_id
                WHERE mm.content_id = ?
                """, arguments: [contentID])
        for account in accounts { try assignThread(db, account: account, contentID: contentID, entry) }
    }

    /// The UIDs of a mailbox's messages in the thread of `uid` (a conversation, one lookup).
    public func conversation(account: String, mailboxID: Int64, uid: UInt32) async throws -> [UInt32] {
        try await pool.read { db in
            let owner = try self.authorize(db, account, mailbox: mailboxID, need: .read).owner
            return try Int64.fetchAll(
                db,
                sql: """
                    SELECT mm.uid FROM mailbox_messages mm
                    JOIN content_threads ct ON ct.content_id = mm.content_id AND ct.account_id = ?
                    WHERE mm.mailbox_id = ? AND ct.thread_id = (
                        SELECT t.thread_id FROM content_threads t JOIN mailbox_messages m ON m.content_id = t.content_id
                        WHERE t.account_id = ? AND m.mailbox_id = ? AND m.uid = ?)
                    ORDER BY mm.uid
                    """, arguments: [owner.id, mailboxID, owner.id, mailboxID, Int64(uid)]
            ).map { UInt32($0) }
        }
    }
}
