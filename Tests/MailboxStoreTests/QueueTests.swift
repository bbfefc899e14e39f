import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

@Suite("Outbound queue")
struct QueueTests {
    let alice = "alice@example.test"

    @Test("without relay a remote recipient is refused and nothing is queued; with relay it is queued with its DSN parameters")
    func relayOnlyWhenAllowed() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let mx = DeliveryEnvelope(
            sender: "x@remote.test", recipients: [.init(address: "bob@elsewhere.test"), .init(address: alice)], relay: false)
        let refused = try await store.client.deliver(sampleMessage(1), envelope: mx, idempotencyKey: nil)
        #expect(refused.recipients.map(\.status) == [.notLocal, .delivered])
        #expect(refused.queueID == nil)
        #expect(try await store.client.listQueue().isEmpty)

        let submission = DeliveryEnvelope(
            sender: alice,
            recipients: [
                .init(address: "Bob@Elsewhere.TEST", notify: ["SUCCESS", "FAILURE"], orcpt: "rfc822;Bob@Elsewhere.TEST"),
                .init(address: "\"john doe\"@other.test"), .init(address: alice),
            ],
            relay: true, ret: "HDRS", envid: "env-1", smtputf8: false, body: "8BITMIME")
        let accepted = try await store.client.deliver(sampleMessage(2), envelope: submission, idempotencyKey: "q-1")
        #expect(accepted.recipients.map(\.status) == [.queued, .queued, .delivered])
        let queue = try await store.client.listQueue()
        #expect(queue.count == 1)
        let entry = try #require(queue.first)
        #expect(entry.id == accepted.queueID)
        #expect(entry.sender == alice && entry.ret == "HDRS" && entry.envid == "env-1" && entry.state == .deferred)
        // A remote local part keeps its case; only the domain is made canonical.
        #expect(entry.recipients.map(\.address) == ["Bob@elsewhere.test", "\"john doe\"@other.test"])
        #expect(entry.recipients.map(\.domain) == ["elsewhere.test", "other.test"])
        #expect(entry.recipients[0].notify == ["SUCCESS", "FAILURE"])
        #expect(entry.recipients[0].orcpt == "rfc822;Bob@Elsewhere.TEST")
        // The retry of the same submission queues nothing more.
        _ = try await store.client.deliver(sampleMessage(2), envelope: submission, idempotencyKey: "q-1")
        #expect(try await store.client.listQueue().count == 1)
    }

    @Test("an alias forwarding to a remote address queues it even on the MX path")
    func aliasForwarding() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        _ = try await store.client.setAlias("fwd@example.test", targets: ["me@gmail.test", alice])
        let result = try await store.client.deliver(
            sampleMessage(), envelope: DeliveryEnvelope(sender: "", recipients: [.init(address: "fwd@example.test")], relay: false),
            idempotencyKey: nil)
        #expect(result.recipients.map(\.status) == [.delivered])
        let entry = try #require(try await store.client.listQueue().first)
        #expect(entry.sender == "")
        #expect(entry.recipients.map(\.address) == ["me@gmail.test"])
        #expect(entry.recipients[0].orcpt == "rfc822;fwd@example.test")
    }

    @Test("content held by the queue survives the expunge of the local copy")
    func queueKeepsContent() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let raw = sampleMessage(9)
        let envelope = DeliveryEnvelope(sender: alice, recipients: [.init(address: alice), .init(address: "far@away.test")], relay: true)
        let result = try await store.client.deliver(raw, envelope: envelope, idempotencyKey: nil)
        let inbox = try await store.inbox(alice)
        let expunged = try await store.client.expunge(alice, mailbox: inbox.id, ExpungeRequest(uids: "1:*", onlyDeleted: false))
        #expect(expunged.expunged == [1])
        let entry = try #require(try await store.client.listQueue().first)
        #expect(entry.id == result.queueID && entry.size == raw.count)
    }
}
