import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

@Suite("Delivery")
struct DeliveryTests {
    @Test("writes are durable: the writer runs with synchronous=FULL")
    func synchronousFull() throws {
        let dir = temporaryPath("buzon-sync")
        let storage = try SQLiteStorage(directory: dir)
        #expect(try storage.synchronousSetting() == 2)
    }

    @Test("a delivery lands byte-exact in the INBOX with UID 1")
    func deliverOne() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let raw = sampleMessage()
        let result = try await store.client.deliver(raw, to: ["alice@example.test"], idempotencyKey: "k1")
        #expect(result.recipients.map(\.status) == [.delivered])
        let inbox = try await store.inbox("alice@example.test")
        #expect(
            result.recipients[0].deliveries == [
                StoredCopy(account: "alice@example.test", mailboxID: inbox.id, uid: 1, modSeq: result.recipients[0].deliveries[0].modSeq)
            ])
        #expect(try await store.client.rawMessage("alice@example.test", mailbox: inbox.id, uid: 1) == raw)
        let list = try await store.client.listMessages("alice@example.test", mailbox: inbox.id)
        #expect(list.messages.map(\.size) == [raw.count])
        #expect(list.messages[0].flags.isEmpty)
    }

    @Test("a retry with the same idempotency key stores once and answers the same")
    func idempotentRetry() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let first = try await store.client.deliver(sampleMessage(7), to: ["alice@example.test"], idempotencyKey: "same-key")
        let second = try await store.client.deliver(sampleMessage(7), to: ["alice@example.test"], idempotencyKey: "same-key")
        #expect(first == second)
        let inbox = try await store.inbox("alice@example.test")
        #expect(inbox.messages == 1)
        #expect(inbox.uidNext == 2)
        // Reusing the key for other content is a caller bug, refused rather than silently deduplicated.
        await #expect(throws: StoreClientError.self) {
            _ = try await store.client.deliver(sampleMessage(8), to: ["alice@example.test"], idempotencyKey: "same-key")
        }
        #expect(try await store.inbox("alice@example.test").messages == 1)
    }

    @Test("several local recipients and an alias share one stored copy")
    func sharedContent() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser("alice@example.test")
        try await store.makeUser("bob@example.test")
        _ = try await store.client.setAlias(
            "team@example.test", targets: ["alice@example.test", "bob@example.test", "carol@elsewhere.test"])
        let result = try await store.client.deliver(
            sampleMessage(), to: ["alice@example.test", "team@example.test", "nobody@example.test", "x@other.test"], idempotencyKey: nil)
        #expect(result.recipients.map(\.status) == [.delivered, .delivered, .unknownRecipient, .notLocal])
        // alice is reached twice (directly and through the alias) but holds one copy.
        #expect(try await store.inbox("alice@example.test").messages == 1)
        #expect(try await store.inbox("bob@example.test").messages == 1)
        let a = try await store.client.listMessages("alice@example.test", mailbox: try await store.inbox("alice@example.test").id)
        let b = try await store.client.listMessages("bob@example.test", mailbox: try await store.inbox("bob@example.test").id)
        #expect(a.messages[0].contentID == b.messages[0].contentID)
        #expect(a.messages[0].contentID == result.contentID)
        let lookup = try await store.client.lookupRecipient("team@example.test")
        #expect(lookup.local && lookup.exists)
        #expect(Set(lookup.accounts) == ["alice@example.test", "bob@example.test"])
        #expect(lookup.remote == ["carol@elsewhere.test"])
    }

    @Test("the stored parse is kept beside the message")
    func parseStored() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        _ = try await store.client.deliver(sampleMessage(3), to: ["alice@example.test"], idempotencyKey: nil)
        let inbox = try await store.inbox("alice@example.test")
        let (_, json) = try await store.client.send(.GET, "/v1/accounts/alice@example.test/mailboxes/\(inbox.id)/messages/1/parse")
        let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
        let envelope = object?["envelope"] as? [String: Any]
        #expect(envelope?["subject"] as? String == "Test 3")
        #expect(envelope?["messageID"] as? String == "<m3@remote.test>")
        let (_, header) = try await store.client.send(.GET, "/v1/accounts/alice@example.test/mailboxes/\(inbox.id)/messages/1/header")
        #expect(String(decoding: header, as: UTF8.self).hasSuffix("+0000\r\n\r\n"))
        let (_, slice) = try await store.client.send(
            .GET, "/v1/accounts/alice@example.test/mailboxes/\(inbox.id)/messages/1/raw?offset=6&length=6")
        #expect(String(decoding: slice, as: UTF8.self) == "Sender")
    }
}
