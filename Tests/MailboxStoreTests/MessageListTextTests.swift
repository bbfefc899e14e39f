import Foundation
import GRDB
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// The text listing (`GET …/messages?format=text`) the IMAP gateway reads a whole mailbox
/// with, written by the store straight from its rows: it must say what the JSON listing says.
@Suite("The text listing")
struct MessageListTextTests {
    let alice = "alice@example.test"

    @Test("pages of the text listing give the JSON listing's messages: UIDs, sizes, dates to the second, MODSEQs, flags")
    func textMatchesJSON() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...30 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        _ = try await store.client.updateFlags(alice, mailbox: inbox.id, FlagUpdateRequest(uids: "2:9", operation: .add, flags: ["\\Seen"]))
        _ = try await store.client.updateFlags(
            alice, mailbox: inbox.id, FlagUpdateRequest(uids: "5:12", operation: .add, flags: ["$Work", "\\Flagged"]))
        _ = try await store.client.expunge(alice, mailbox: inbox.id, ExpungeRequest(uids: "20", onlyDeleted: false))
        // The text listing carries whole seconds (INTERNALDATE's resolution); deliveries have fractions.
        let json = try await store.client.listMessages(alice, mailbox: inbox.id).messages.map { message in
            var whole = message
            whole.internalDate.round(.down)
            return whole
        }
        #expect(json.count == 29)

        var paged: [MessageSummary] = []
        var after: UInt32 = 0
        var pages = 0
        while true {
            let page = try await store.client.listMessagesText(alice, mailbox: inbox.id, after: after, limit: 7)
            paged += page.messages
            pages += 1
            guard let next = page.nextAfter else { break }
            after = next
        }
        #expect(pages == 5)
        #expect(paged == json)
        #expect(Set(json.map(\.size)).count > 1, "the sample messages differ in size, so a wrong size shows")
        // Both listings read the size kept beside the UID: check it against the stored bytes.
        for message in json.prefix(12) {
            #expect(message.size == (try await store.client.rawMessage(alice, mailbox: inbox.id, uid: message.uid)).count)
        }

        // More ranges than SQL is given (`maxSQLRanges`): filtered as the rows are read.
        let odd = stride(from: 1, through: 29, by: 2).map(String.init).joined(separator: ",")
        let many = stride(from: 1, through: 121, by: 2).map(String.init).joined(separator: ",")
        #expect(try await store.client.listMessagesText(alice, mailbox: inbox.id, uids: odd).messages == json.filter { $0.uid % 2 == 1 })
        #expect(try await store.client.listMessagesText(alice, mailbox: inbox.id, uids: many).messages == json.filter { $0.uid % 2 == 1 })
        // Read in UID ranges at once, each with its own flag table: whatever `uidNext` the
        // caller had (current, stale, too high), the same columns as one listing.
        let whole = try await store.client.messageColumns(alice, mailbox: inbox.id, pageSize: 4)
        #expect(whole.uids == json.map(\.uid))
        #expect(whole.uids.indices.map { whole.sizeAndDate(at: $0)?.size } == json.map(\.size))
        #expect(whole.uids.indices.map { whole.flags(at: $0) } == json.map(\.flags))
        for uidNext: UInt32 in [31, 20, 100] {
            let parts = try await store.client.messageColumns(alice, mailbox: inbox.id, uidNext: uidNext, pageSize: 2, parts: 3)
            #expect(parts == whole, "uidNext \(uidNext)")
        }
    }

    @Test("v11-message-size copies each message's size from its content")
    func migrationFillsSizes() throws {
        let queue = try migratedDatabase(upTo: "v10-shared-indexes")
        try queue.write { db in
            try insertAliceWithTwoMailboxes(db)
            try db.execute(
                sql: """
                    INSERT INTO contents (id, size, header_size, created_at, parse, raw) VALUES (1, 4096, 10, 0, '{}', x'00'), (2, 77, 5, 0, '{}', x'00');
                    INSERT INTO mailbox_messages (mailbox_id, uid, content_id, modseq, internal_date) VALUES (1, 1, 1, 1, 0), (1, 2, 2, 2, 0), (2, 1, 1, 3, 0);
                    """)
        }
        try Schema.migrator.migrate(queue)
        try queue.read { db in
            let sizes = try Int.fetchAll(db, sql: "SELECT size FROM mailbox_messages ORDER BY mailbox_id, uid")
            #expect(sizes == [4096, 77, 4096])
        }
    }
}
