import Foundation
import GRDB
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// `POST …/mailboxes/{id}/recent` and the `v9-recent` migration: IMAP4rev1's `\Recent` handed
/// out once per message (RFC 3501 §2.3.2).
@Suite("\\Recent claims")
struct RecentClaimTests {
    let alice = "alice@example.test"

    @Test("A claim answers the old mark and moves it (never past UIDNEXT - 1); a read does not; STATUS counts above it")
    func claims() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...3 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        #expect(inbox.recent == 3)
        #expect(try await store.client.claimRecent(alice, mailbox: inbox.id, RecentClaimRequest(upTo: 2, claim: false)).from == 0)
        #expect(try await store.client.claimRecent(alice, mailbox: inbox.id, RecentClaimRequest(upTo: 2)).from == 0)
        #expect(try await store.inbox(alice).recent == 1)
        // Someone else's claim up to 2 got nothing new; a claim past the last UID stops at it.
        #expect(try await store.client.claimRecent(alice, mailbox: inbox.id, RecentClaimRequest(upTo: 2)).from == 2)
        #expect(try await store.client.claimRecent(alice, mailbox: inbox.id, RecentClaimRequest(upTo: .max)).from == 2)
        #expect(try await store.client.claimRecent(alice, mailbox: inbox.id, RecentClaimRequest(upTo: .max)).from == 3)
        _ = try await store.client.deliver(sampleMessage(4), to: [alice], idempotencyKey: nil)
        #expect(try await store.inbox(alice).recent == 1)
        await #expect(throws: StoreClientError.self) {
            _ = try await store.client.claimRecent(alice, mailbox: 999_999, RecentClaimRequest(upTo: 1))
        }
    }

    @Test("Concurrent claims hand each UID to one claimant")
    func concurrent() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...20 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        let marks = try await withThrowingTaskGroup(of: (UInt32, UInt32).self) { group in
            for upTo in stride(from: UInt32(2), through: 20, by: 2) {
                group.addTask { (try await store.client.claimRecent(alice, mailbox: inbox.id, RecentClaimRequest(upTo: upTo)).from, upTo) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var owners = [Int](repeating: 0, count: 21)
        for (from, upTo) in marks where upTo > from {
            for uid in (from + 1)...upTo { owners[Int(uid)] += 1 }
        }
        #expect(owners.dropFirst().allSatisfy { $0 == 1 }, "\(owners)")
    }

    @Test("v9-recent: messages stored before it are not recent; new ones are")
    func migration() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v8-thread-ids")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.test', 0);
                    INSERT INTO accounts (id, address, domain_id, password_hash, created_at) VALUES (1, 'alice@example.test', 1, 'h', 0);
                    INSERT INTO mailboxes (id, account_id, name, uid_validity, uid_next) VALUES (1, 1, 'INBOX', 1, 8), (2, 1, 'Empty', 2, 1);
                    """)
        }
        try Schema.migrator.migrate(queue)
        let marks = try queue.read { db in try Int64.fetchAll(db, sql: "SELECT recent_uid FROM mailboxes ORDER BY id") }
        #expect(marks == [7, 0])
    }
}
