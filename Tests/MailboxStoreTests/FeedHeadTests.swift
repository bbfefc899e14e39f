import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// The feed's head answered without a read (`FeedHeads`) must never hide a change, and a flag
/// update's `feedBefore`/`feedAfter` must be exactly its own changes' span.
@Suite("Feed heads")
struct FeedHeadTests {
    let alice = "alice@example.test"

    @Test("After an empty read of the feed, every kind of write shows in the next read")
    func everyWriteShows() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let client = store.client
        let inbox = try await store.inbox(alice)
        let account = alice
        let writes: [(String, @Sendable () async throws -> Void)] = [
            ("delivery", { _ = try await client.deliver(sampleMessage(1), to: [account], idempotencyKey: nil) }),
            ("append", { _ = try await client.append(sampleMessage(2), account: account, mailbox: inbox.id) }),
            (
                "flags",
                {
                    _ = try await client.updateFlags(
                        account, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\Seen"]))
                }
            ),
            ("create", { _ = try await client.createMailbox(account, CreateMailboxRequest(name: "Archive")) }),
        ]
        for (name, write) in writes {
            let head = try await client.changes(alice, since: 0).highestModSeq
            // Twice: the second read is the one the cache answers.
            #expect(try await client.changes(alice, since: head).changes.isEmpty)
            #expect(try await client.changes(alice, since: head).changes.isEmpty)
            try await write()
            let after = try await client.changes(alice, since: head)
            #expect(!after.changes.isEmpty, "\(name) was not in the feed")
            #expect(after.highestModSeq > head, "\(name) did not move the head")
        }
        let archive = try await client.listMailboxes(alice).first { $0.name == "Archive" }
        let target = try #require(archive)
        let more: [(String, @Sendable () async throws -> Void)] = [
            ("copy", { _ = try await client.copy(account, mailbox: inbox.id, CopyRequest(uids: "1", targetMailboxID: target.id)) }),
            ("rename", { _ = try await client.updateMailbox(account, mailbox: target.id, UpdateMailboxRequest(name: "Old")) }),
            (
                "expunge",
                {
                    _ = try await client.updateFlags(
                        account, mailbox: inbox.id, FlagUpdateRequest(uids: "2", operation: .add, flags: ["\\Deleted"]))
                    _ = try await client.expunge(account, mailbox: inbox.id, ExpungeRequest(uids: nil, onlyDeleted: true))
                }
            ),
            ("delete mailbox", { try await client.deleteMailbox(account, mailbox: target.id) }),
        ]
        for (name, write) in more {
            let head = try await client.changes(alice, since: 0).highestModSeq
            #expect(try await client.changes(alice, since: head).changes.isEmpty)
            try await write()
            #expect(!(try await client.changes(alice, since: head).changes.isEmpty), "\(name) was not in the feed")
        }
    }

    @Test("A deleted account's feed is gone, and one made again under its name is its own")
    func deletedAccount() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let head = try await store.client.changes(alice, since: 0).highestModSeq
        #expect(try await store.client.changes(alice, since: head).changes.isEmpty)
        try await store.client.deleteUser(alice)
        await #expect(throws: StoreClientError.self) { _ = try await store.client.changes(alice, since: head) }
        // The new account's feed passes the old head: a head kept for the old id would hide it.
        try await store.makeUser()
        for n in 1...Int(head) + 2 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        #expect(try await store.client.changes(alice, since: head).changes.map(\.kind).contains(.added))
    }

    @Test("A flag update names the feed's head before and after it: its changes are exactly those between")
    func flagUpdateSpan() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...3 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        _ = try await store.client.updateFlags(alice, mailbox: inbox.id, FlagUpdateRequest(uids: "2", operation: .add, flags: ["\\Seen"]))
        let head = try await store.client.changes(alice, since: 0).highestModSeq
        let result = try await store.client.updateFlags(
            alice, mailbox: inbox.id, FlagUpdateRequest(uids: "1:3", operation: .add, flags: ["\\Seen"]))
        #expect(result.feedBefore == head)
        let feed = try await store.client.changes(alice, since: head)
        #expect(result.feedAfter == feed.highestModSeq)
        let own = result.messages.filter { $0.modSeq > head }
        #expect(own.map(\.uid) == [1, 3])
        #expect(feed.changes.map(\.uid) == own.map(\.uid))
        #expect(feed.changes.map(\.modSeq) == own.map(\.modSeq))
        // Nothing changed: nothing between.
        let again = try await store.client.updateFlags(
            alice, mailbox: inbox.id, FlagUpdateRequest(uids: "1:3", operation: .add, flags: ["\\Seen"]))
        #expect(again.feedBefore == result.feedAfter && again.feedAfter == result.feedAfter)
    }
}
