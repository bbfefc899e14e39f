import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// METADATA entries (RFC 5464) in the store: all or none, in the change feed, kept across a
/// RENAME, gone with their mailbox.
@Suite("METADATA entries")
struct MetadataTests {
    let alice = "alice@example.test"

    static func entry(_ name: String, _ value: String?) -> MetadataEntry { MetadataEntry(name: name, value: value.map { Data($0.utf8) }) }

    @Test("set, read, remove; a request over the limit changes nothing; each change is in the feed")
    func setAndLimit() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let inbox = try await store.inbox(alice)
        let head = try await store.client.feedHead(alice)
        try await store.client.setMetadata(
            alice,
            SetMetadataRequest(mailboxID: inbox.id, entries: [Self.entry("/shared/a", "1"), Self.entry("/private/b", "2")], maxEntries: 2))
        #expect(try await store.client.metadata(alice, mailbox: inbox.id) == [Self.entry("/private/b", "2"), Self.entry("/shared/a", "1")])
        #expect(try await store.client.metadata(alice, mailbox: nil) == [])
        await expectCode(APIErrorCode.metadataTooMany) {
            try await store.client.setMetadata(
                alice,
                SetMetadataRequest(
                    mailboxID: inbox.id, entries: [Self.entry("/shared/a", "changed"), Self.entry("/shared/c", "3")], maxEntries: 2))
        }
        #expect(try await store.client.metadata(alice, mailbox: inbox.id) == [Self.entry("/private/b", "2"), Self.entry("/shared/a", "1")])
        try await store.client.setMetadata(
            alice, SetMetadataRequest(mailboxID: inbox.id, entries: [Self.entry("/shared/a", nil)], maxEntries: 2))
        #expect(try await store.client.metadata(alice, mailbox: inbox.id) == [Self.entry("/private/b", "2")])
        let feed = try await store.client.changes(alice, since: head)
        #expect(feed.changes.filter { $0.kind == .metadata }.map(\.name) == ["/shared/a", "/private/b", "/shared/a"])
        #expect(feed.changes.allSatisfy { $0.mailboxID == inbox.id })
        // Server entries: mailbox 0 in the feed, and no MODSEQ for a mailbox.
        try await store.client.setMetadata(
            alice, SetMetadataRequest(mailboxID: nil, entries: [Self.entry("/shared/comment", "x")], maxEntries: 1))
        let later = try await store.client.changes(alice, since: feed.highestModSeq)
        #expect(later.changes.map(\.mailboxID) == [0])
        #expect(try await store.inbox(alice).highestModSeq == inbox.highestModSeq)
    }

    @Test("entries follow RENAME and go with DELETE; a bad entry name is refused")
    func renameAndDelete() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let box = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Projects"))
        try await store.client.setMetadata(
            alice, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/shared/comment", "c")], maxEntries: 5))
        _ = try await store.client.updateMailbox(alice, mailbox: box.id, UpdateMailboxRequest(name: "Work"))
        #expect(try await store.client.metadata(alice, mailbox: box.id) == [Self.entry("/shared/comment", "c")])
        try await store.client.deleteMailbox(alice, mailbox: box.id)
        await expectCode(APIErrorCode.mailboxNotFound) { _ = try await store.client.metadata(alice, mailbox: box.id) }
        let again = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Work"))
        #expect(try await store.client.metadata(alice, mailbox: again.id) == [])
        await expectCode(APIErrorCode.badRequest) {
            try await store.client.setMetadata(
                alice, SetMetadataRequest(mailboxID: nil, entries: [Self.entry("/vendor/x", "y")], maxEntries: 5))
        }
    }
}
