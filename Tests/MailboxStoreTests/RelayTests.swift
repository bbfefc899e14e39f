import Foundation
import InternetMessage
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

@Suite("Relay leases, reports and notices")
struct RelayTests {
    let alice = "alice@example.test"

    func queued(_ store: TestStore, to recipients: [EnvelopeRecipient], sender: String? = nil, ret: String? = nil) async throws -> Int64 {
        let envelope = DeliveryEnvelope(sender: sender ?? alice, recipients: recipients, relay: true, ret: ret, envid: "env-7")
        let result = try await store.client.deliver(sampleMessage(5), envelope: envelope, idempotencyKey: nil)
        return try #require(result.queueID)
    }

    func inboxTexts(_ store: TestStore, _ account: String) async throws -> [String] {
        let inbox = try await store.inbox(account)
        var texts: [String] = []
        for m in try await store.client.listMessages(account, mailbox: inbox.id).messages {
            texts.append(String(decoding: try await store.client.rawMessage(account, mailbox: inbox.id, uid: m.uid), as: UTF8.self))
        }
        return texts
    }

    @Test("a lease is exclusive until it expires; only its holder may report")
    func leases() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let id = try await queued(store, to: [.init(address: "bob@far.test")])
        let first = try await store.client.leaseQueue(worker: "w1", limit: 10, ttl: 5)
        #expect(first.map(\.id) == [id])
        #expect(first[0].recipients.map(\.address) == ["bob@far.test"])
        #expect(try await store.client.leaseQueue(worker: "w2", limit: 10, ttl: 5).isEmpty)
        #expect(try await store.client.queueEntry(id).state == .active)
        #expect(try await store.client.queueMessage(id) == sampleMessage(5))
        await expectCode(APIErrorCode.leaseLost) {
            _ = try await store.client.reportQueue(id, DeliveryReport(worker: "w2", recipients: []))
        }
        _ = try await store.client.renewQueueLease(id, worker: "w1", ttl: 5)
        let report = DeliveryReport(
            worker: "w1",
            recipients: [
                .init(
                    address: "bob@far.test", outcome: .deferred, status: "4.4.1",
                    diagnostic: "connection refused")
            ],
            retryAt: Date().timeIntervalSince1970 + 3600)
        let result = try await store.client.reportQueue(id, report)
        #expect(!result.removed && result.notifications == 0)
        let entry = try await store.client.queueEntry(id)
        #expect(entry.state == .deferred && entry.attempts == 1 && entry.lastError == "connection refused")
        #expect(try await store.client.leaseQueue(worker: "w2", limit: 10, ttl: 5).isEmpty, "not due before retryAt")
        #expect(try await store.client.retryAllQueued() == 1)
        #expect(try await store.client.leaseQueue(worker: "w2", limit: 10, ttl: 5).map(\.id) == [id])
    }

    @Test("a permanent failure sends the local sender a DSN naming the recipient, status, reply and original header")
    func bounceToLocalSender() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let id = try await queued(
            store, to: [.init(address: "bob@far.test", orcpt: "rfc822;Bob@far.test"), .init(address: "carol@far.test")])
        _ = try await store.client.leaseQueue(worker: "w1", limit: 1, ttl: 30)
        let result = try await store.client.reportQueue(
            id,
            DeliveryReport(
                worker: "w1",
                recipients: [
                    .init(
                        address: "bob@far.test", outcome: .failed, status: "5.1.1", diagnostic: "550 5.1.1 no such user",
                        remoteMTA: "mx.far.test"),
                    .init(address: "carol@far.test", outcome: .delivered, status: "2.0.0", diagnostic: "250 ok", remoteMTA: "mx.far.test"),
                ]))
        #expect(result.removed && result.notifications == 1)
        #expect(try await store.client.listQueue().isEmpty, "the notice to a local sender does not go through the queue")
        let texts = try await inboxTexts(store, alice)
        #expect(texts.count == 1)
        let dsn = try #require(texts.first)
        #expect(dsn.contains("Content-Type: multipart/report; report-type=delivery-status"))
        #expect(
            dsn.contains(
                "Final-Recipient: rfc822; bob@far.test\r\nOriginal-Recipient: rfc822;Bob@far.test\r\nAction: failed\r\nStatus: 5.1.1"))
        #expect(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"))
        #expect(dsn.contains("Remote-MTA: dns; mx.far.test"))
        #expect(dsn.contains("Original-Envelope-Id: env-7"))
        #expect(dsn.contains("Subject: Test 5\r\n"), "the original header is returned")
        #expect(!dsn.contains("carol@far.test\r\nAction"), "a success is reported only when asked for")
    }

    @Test("a remote sender's notice is queued from the null sender; a bounce is never bounced")
    func remoteSenderAndNullSender() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        _ = try await store.client.setAlias("fwd@example.test", targets: ["far@away.test"])
        // Mail from a remote sender forwarded by an alias, then refused by the far end.
        let result = try await store.client.deliver(
            sampleMessage(9),
            envelope: DeliveryEnvelope(sender: "someone@remote.test", recipients: [.init(address: "fwd@example.test")], relay: false),
            idempotencyKey: nil)
        let id = try #require(result.queueID)
        _ = try await store.client.leaseQueue(worker: "w", limit: 1, ttl: 30)
        _ = try await store.client.reportQueue(
            id, DeliveryReport(worker: "w", recipients: [.init(address: "far@away.test", outcome: .failed, status: "5.7.1")]))
        let bounce = try #require(try await store.client.listQueue().first)
        #expect(bounce.sender == "" && bounce.recipients.map(\.address) == ["someone@remote.test"])
        // That bounce is refused too: nothing more is sent.
        _ = try await store.client.leaseQueue(worker: "w", limit: 1, ttl: 30)
        let second = try await store.client.reportQueue(
            bounce.id, DeliveryReport(worker: "w", recipients: [.init(address: "someone@remote.test", outcome: .failed, status: "5.1.1")]))
        #expect(second.removed && second.notifications == 0)
        #expect(try await store.client.listQueue().isEmpty)
    }

    @Test("NOTIFY is honoured: NEVER silences failures, SUCCESS asks for a delivery notice, a delay is told once")
    func notify() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let id = try await queued(
            store,
            to: [
                .init(address: "a@far.test", notify: ["NEVER"]), .init(address: "b@far.test", notify: ["SUCCESS"]),
                .init(address: "c@far.test"),
            ])
        _ = try await store.client.leaseQueue(worker: "w", limit: 1, ttl: 30)
        var result = try await store.client.reportQueue(
            id,
            DeliveryReport(
                worker: "w",
                recipients: [
                    .init(address: "a@far.test", outcome: .failed, status: "5.1.1"),
                    .init(address: "b@far.test", outcome: .delivered, status: "2.0.0"),
                    .init(address: "c@far.test", outcome: .deferred, status: "4.2.0"),
                ], retryAt: 0, delayWarning: true))
        #expect(result.notifications == 1 && !result.removed)
        var texts = try await inboxTexts(store, alice)
        #expect(texts.count == 1)
        #expect(texts[0].contains("b@far.test\r\nAction: relayed") && texts[0].contains("c@far.test\r\nAction: delayed"))
        #expect(!texts[0].contains("a@far.test"))
        // The next deferral does not warn again.
        _ = try await store.client.leaseQueue(worker: "w", limit: 1, ttl: 30)
        result = try await store.client.reportQueue(
            id,
            DeliveryReport(
                worker: "w", recipients: [.init(address: "c@far.test", outcome: .deferred, status: "4.2.0")],
                retryAt: 0, delayWarning: true))
        #expect(result.notifications == 0)
        // The administrator bounces the rest: one failure notice.
        result = try await store.client.adminQueue(id, .bounce)
        #expect(result.removed && result.notifications == 1)
        texts = try await inboxTexts(store, alice)
        #expect(texts.count == 2 && texts[1].contains("c@far.test\r\nAction: failed\r\nStatus: 5.0.0"))
    }

    @Test("hold keeps an entry from workers until released; delete removes it without a notice")
    func holdAndDelete() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let id = try await queued(store, to: [.init(address: "x@far.test")])
        _ = try await store.client.adminQueue(id, .hold)
        #expect(try await store.client.queueEntry(id).state == .hold)
        #expect(try await store.client.leaseQueue(worker: "w", limit: 5, ttl: 30).isEmpty)
        _ = try await store.client.adminQueue(id, .release)
        #expect(try await store.client.leaseQueue(worker: "w", limit: 5, ttl: 30).map(\.id) == [id])
        try await store.client.deleteQueueEntry(id)
        #expect(try await store.client.listQueue().isEmpty)
        #expect(try await inboxTexts(store, alice).isEmpty)
    }
}
