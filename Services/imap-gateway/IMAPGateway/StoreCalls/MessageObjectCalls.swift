import StoreAPI
import StoreClient

extension IMAPSession {
    /// The RFC 8474 ids and RFC 8514 save dates of `uids` (an IMAP UID set), following the pages.
    func messageObjects(_ account: String, _ mailbox: Int64, uids: String) async throws -> [UInt32: MessageObjects] {
        var out: [UInt32: MessageObjects] = [:]
        var after: UInt32 = 0
        while true {
            let page = try await store.listMessageObjects(account, mailbox: mailbox, uids: uids, after: after, limit: 10_000)
            for message in page.messages { out[message.uid] = message }
            guard let next = page.nextAfter else { return out }
            after = next
        }
    }
}
