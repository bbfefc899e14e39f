import Foundation
import GRDB
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// METADATA entries (RFC 5464) in the store: all or none, in the change feed, kept across a
/// RENAME, gone with their mailbox; on a shared mailbox, `/shared` entries are the owner's and
/// `/private` ones each reader's (RFC 5464 §3.3 with RFC 4314 rights).
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
                    mailboxID: inbox.id,
                    entries: [Self.entry("/shared/a", "changed"), Self.entry("/shared/c", "3"), Self.entry("/shared/d", "4")],
                    maxEntries: 2))
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
        // RFC 5464 §4.1: RENAME INBOX copies INBOX's entries to the new mailbox; INBOX keeps its own.
        let inbox = try await store.inbox(alice)
        try await store.client.setMetadata(
            alice, SetMetadataRequest(mailboxID: inbox.id, entries: [Self.entry("/private/note", "n")], maxEntries: 5))
        let old = try await store.client.updateMailbox(alice, mailbox: inbox.id, UpdateMailboxRequest(name: "Old"))
        #expect(old.id != inbox.id)
        #expect(try await store.client.metadata(alice, mailbox: old.id) == [Self.entry("/private/note", "n")])
        #expect(try await store.client.metadata(alice, mailbox: inbox.id) == [Self.entry("/private/note", "n")])
    }

    @Test("a shared mailbox: one /shared entry for all, a /private one per reader; r to read and w to set /shared")
    func sharedMailbox() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        let bob = "bob@example.test"
        let carol = "carol@example.test"
        try await store.makeUser()
        _ = try await store.makeUser(bob)
        _ = try await store.makeUser(carol)
        let box = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Team"))
        let c = store.client
        try await c.setMetadata(
            alice,
            SetMetadataRequest(
                mailboxID: box.id, entries: [Self.entry("/shared/comment", "team"), Self.entry("/private/comment", "mine")], maxEntries: 5))
        // Without a right the mailbox does not exist; with lr it reads the owner's /shared entry only.
        await expectCode(APIErrorCode.mailboxNotFound) { _ = try await c.metadata(bob, mailbox: box.id) }
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "lr"))
        #expect(try await c.metadata(bob, mailbox: box.id) == [Self.entry("/shared/comment", "team")])
        try await c.setMetadata(
            bob, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/private/comment", "bob's")], maxEntries: 5))
        await expectCode(APIErrorCode.noPermission) {
            try await c.setMetadata(
                bob, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/shared/comment", "x")], maxEntries: 5))
        }
        #expect(
            try await c.metadata(bob, mailbox: box.id) == [Self.entry("/private/comment", "bob's"), Self.entry("/shared/comment", "team")])
        #expect(
            try await c.metadata(alice, mailbox: box.id) == [Self.entry("/private/comment", "mine"), Self.entry("/shared/comment", "team")])
        // With w, a /shared change reaches the owner's entry and the owner's feed.
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "lrw"))
        let head = try await c.feedHead(alice)
        try await c.setMetadata(
            bob, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/shared/comment", "changed")], maxEntries: 5))
        #expect(
            try await c.metadata(alice, mailbox: box.id) == [
                Self.entry("/private/comment", "mine"), Self.entry("/shared/comment", "changed"),
            ])
        #expect(try await c.changes(alice, since: head).changes.map(\.name) == ["/shared/comment"])
        // /shared and /private entries count apart: Bob's shared entries leave Alice room.
        let full = (1...4).map { Self.entry("/shared/s\($0)", "x") }
        try await c.setMetadata(bob, SetMetadataRequest(mailboxID: box.id, entries: full, maxEntries: 5))
        try await c.setMetadata(alice, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/private/p", "y")], maxEntries: 5))
        await expectCode(APIErrorCode.metadataTooMany) {
            try await c.setMetadata(bob, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/shared/s5", "x")], maxEntries: 5))
        }
        // Over its limit (lowered), a count may still shrink.
        try await c.setMetadata(alice, SetMetadataRequest(mailboxID: box.id, entries: [Self.entry("/shared/s1", nil)], maxEntries: 2))
        #expect(try await c.metadata(carol, mailbox: nil) == [])
        // The owner deleting the mailbox takes the reader's /private entry too.
        try await c.deleteMailbox(alice, mailbox: box.id)
        let again = try await c.createMailbox(alice, CreateMailboxRequest(name: "Team"))
        _ = try await c.setACL(alice, mailbox: again.id, SetACLRequest(identifier: bob, rights: "lr"))
        #expect(try await c.metadata(bob, mailbox: again.id) == [])
        let database = try DatabaseQueue(path: store.directory + "/store.sqlite")
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metadata") } == 0)
    }
}
