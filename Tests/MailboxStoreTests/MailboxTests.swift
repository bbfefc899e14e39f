import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

@Suite("Mailboxes")
struct MailboxTests {
    let alice = "alice@example.test"

    @Test("a new user has INBOX, Sent, Drafts, Trash and Junk with their special uses")
    func defaults() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let boxes = try await store.client.listMailboxes(alice)
        #expect(boxes.map(\.name) == ["INBOX", "Drafts", "Junk", "Sent", "Trash"])
        #expect(boxes.map(\.specialUse) == [nil, "Drafts", "Junk", "Sent", "Trash"])
        #expect(boxes.allSatisfy { $0.uidNext == 1 && $0.subscribed })
    }

    @Test("rename moves the children along; INBOX cannot be deleted; a parent with children is refused")
    func renameAndDelete() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let child = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Work/Clients/Acme"))
        let work = try await store.client.listMailboxes(alice).first { $0.name == "Work" }!
        let renamed = try await store.client.updateMailbox(alice, mailbox: work.id, UpdateMailboxRequest(name: "Jobs"))
        #expect(renamed.name == "Jobs")
        let names = Set(try await store.client.listMailboxes(alice).map(\.name))
        #expect(names.isSuperset(of: ["Jobs", "Jobs/Clients", "Jobs/Clients/Acme"]))
        #expect(!names.contains("Work/Clients/Acme"))
        // The child kept its id and UIDVALIDITY.
        let acme = try await store.client.listMailboxes(alice).first { $0.name == "Jobs/Clients/Acme" }!
        #expect(acme.id == child.id && acme.uidValidity == child.uidValidity)

        let inbox = try await store.inbox(alice)
        await expectCode(APIErrorCode.cannotDeleteInbox) { try await store.client.deleteMailbox(alice, mailbox: inbox.id) }
        await expectCode(APIErrorCode.mailboxNotEmpty) { try await store.client.deleteMailbox(alice, mailbox: renamed.id) }
        await expectCode(APIErrorCode.alreadyExists) { _ = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Jobs")) }
        await expectCode(APIErrorCode.invalidMailboxName) {
            _ = try await store.client.updateMailbox(alice, mailbox: renamed.id, UpdateMailboxRequest(name: "Jobs/Inner"))
        }
    }

    @Test("renaming INBOX moves its messages to the new mailbox and leaves INBOX empty")
    func renameInbox() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...2 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        let old = try await store.client.updateMailbox(alice, mailbox: inbox.id, UpdateMailboxRequest(name: "Old Mail"))
        #expect(old.name == "Old Mail" && old.messages == 2)
        let now = try await store.inbox(alice)
        #expect(now.id == inbox.id && now.messages == 0 && now.uidNext == 3)
    }

    @Test(
        "bad mailbox names are refused",
        arguments: [
            "", "a//b", "/lead", "trail/", "../etc", "a/../b", ".", "with%", "star*", "nul\u{0}", "ctl\u{1}x", "tab\tx",
            String(repeating: "x", count: 300), Array(repeating: "d", count: 20).joined(separator: "/"),
        ])
    func badNames(name: String) async throws {
        #expect(Validation.mailboxName(name) == nil)
    }

    @Test(
        "good mailbox names are kept, INBOX made canonical",
        arguments: [
            ("inbox", "INBOX"), ("Inbox/Sub", "INBOX/Sub"), ("Archive/2026", "Archive/2026"), ("Entwürfe", "Entwürfe"), ("a b", "a b"),
        ])
    func goodNames(pair: (String, String)) {
        #expect(Validation.mailboxName(pair.0) == pair.1)
    }
}

func expectCode(_ code: APIErrorCode, _ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
    } catch let error as StoreClientError {
        #expect(error.code == code, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

/// The store's error code a call ends with, nil on success (for checks that compare codes).
func errorCode(_ body: () async throws -> Void) async -> APIErrorCode? {
    do {
        try await body()
        return nil
    } catch let error as StoreClientError {
        return error.code
    } catch {
        return .unknown("\(error)")
    }
}
