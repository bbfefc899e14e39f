import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

/// A client's resend of a message already stored (`ResendDigest`): recognised by the envelope,
/// the client's own Message-ID and its bytes after the gateway's trace fields.
@Suite("Resend")
struct ResendTests {
    static let alice = "alice@example.test"

    /// What a gateway sends: its own `Received` (different each time) before the client's bytes.
    static func fromGateway(_ client: [UInt8], session: String) -> (raw: [UInt8], trace: Int) {
        let trace = Array("Received: from client.test by mx.example.test id \(session)\r\n".utf8)
        return (trace + client, trace.count)
    }

    func deliver(_ store: TestStore, _ client: [UInt8], session: String, to: [String] = [alice], sender: String = "a@remote.test")
        async throws -> DeliveryResult
    {
        let (raw, trace) = Self.fromGateway(client, session: session)
        let envelope = DeliveryEnvelope(
            sender: sender, recipients: to.map { EnvelopeRecipient(address: $0) }, relay: false, traceLength: trace)
        return try await store.client.deliver(raw, envelope: envelope, idempotencyKey: session)
    }

    @Test("the same message to the same recipients under a new key is answered as before and not stored again")
    func resendIsRecognised() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser(Self.alice)
        let first = try await deliver(store, sampleMessage(1), session: "s1.1")
        let again = try await deliver(store, sampleMessage(1), session: "s2.1")
        #expect(again.recipients == first.recipients)
        #expect(try await store.inbox(Self.alice).messages == 1)
        // The new key now answers the same too.
        #expect(try await deliver(store, sampleMessage(1), session: "s2.1") == again)
    }

    @Test("other content or sender, or no Message-ID of the client's own: stored again")
    func otherMessagesAreStored() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser(Self.alice)
        try await store.makeUser("bob@example.test")
        _ = try await deliver(store, sampleMessage(1), session: "a.1")
        _ = try await deliver(store, sampleMessage(1, body: "Other."), session: "a.2")
        _ = try await deliver(store, sampleMessage(1), session: "a.3", sender: "b@remote.test")
        let withoutID = Array("From: a@remote.test\r\nSubject: no id\r\n\r\nHello.\r\n".utf8)
        _ = try await deliver(store, withoutID, session: "a.5")
        _ = try await deliver(store, withoutID, session: "a.6")
        #expect(try await store.inbox(Self.alice).messages == 5)
    }

    @Test("a resend to more recipients reaches only those that do not have it yet")
    func perRecipient() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser(Self.alice)
        try await store.makeUser("bob@example.test")
        let first = try await deliver(store, sampleMessage(1), session: "p.1")
        let again = try await deliver(store, sampleMessage(1), session: "p.2", to: ["bob@example.test", Self.alice])
        #expect(again.recipients.map(\.recipient) == ["bob@example.test", Self.alice])
        #expect(again.recipients.map(\.status) == [.delivered, .delivered])
        #expect(again.recipients[1] == first.recipients[0], "alice is answered what she was answered the first time")
        #expect(try await store.inbox(Self.alice).messages == 1)
        #expect(try await store.inbox("bob@example.test").messages == 1)
        _ = try await deliver(store, sampleMessage(1), session: "p.3", to: [Self.alice, "bob@example.test"])
        #expect(try await store.inbox(Self.alice).messages == 1)
        #expect(try await store.inbox("bob@example.test").messages == 1)
    }

    @Test("a Message-ID the gateway put in its trace (submission) does not count")
    func traceMessageIDIgnored() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser(Self.alice)
        let client = Array("From: a@remote.test\r\nSubject: no id\r\n\r\nHello.\r\n".utf8)
        for session in ["t.1", "t.2"] {
            let trace = Array("Received: by mx id \(session)\r\nMessage-ID: <fixed@mx.example.test>\r\n".utf8)
            let envelope = DeliveryEnvelope(
                sender: "a@remote.test", recipients: [EnvelopeRecipient(address: Self.alice)], relay: false, traceLength: trace.count)
            _ = try await store.client.deliver(trace + client, envelope: envelope, idempotencyKey: session)
        }
        #expect(try await store.inbox(Self.alice).messages == 2)
    }

    @Test("deliveries that did not come through a gateway (no trace length) are never matched")
    func apiDeliveriesAreNotMatched() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser(Self.alice)
        _ = try await store.client.deliver(sampleMessage(1), to: [Self.alice], idempotencyKey: nil)
        _ = try await store.client.deliver(sampleMessage(1), to: [Self.alice], idempotencyKey: nil)
        #expect(try await store.inbox(Self.alice).messages == 2)
    }
}
