import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// Grants in the change feeds (RFC 4314 with RFC 5465 §5.4 and §5.9): a grant that changes an
/// account's rights is a `mailbox-rights` entry in that account's feed, not the owner's; a
/// shared mailbox's deletion reaches, through the owner's feed, the readers who held a right.
@Suite("Rights in the change feed")
struct RightsFeedTests {
    let alice = "alice@example.test"
    let bob = "bob@example.test"
    let carol = "carol@example.test"
    let mallory = "mallory@other.test"

    /// Alice's Projects with one message; Bob, Carol (same domain) and Mallory (another) exist.
    func setUp() async throws -> (TestStore, MailboxInfo) {
        let store = try await TestStore.start()
        for user in [alice, bob, carol, mallory] { try await store.makeUser(user) }
        let box = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Projects"))
        _ = try await store.client.append(sampleMessage(1), account: alice, mailbox: box.id)
        return (store, try await store.client.mailbox(alice, id: box.id))
    }

    func rightsChanges(_ store: TestStore, _ account: String, since: UInt64) async throws -> [Change] {
        try await store.client.changes(account, since: since).changes.filter { $0.kind == .rights }
    }

    @Test("A grant, a change and a revocation are each in the grantee's feed, not the owner's")
    func granteeFeed() async throws {
        let (store, box) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        let aliceHead = try await c.feedHead(alice)
        let bobHead = try await c.feedHead(bob)
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "lr"))
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "s", modification: .add))
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "s", modification: .add))  // no change
        try await c.deleteACL(alice, mailbox: box.id, identifier: bob)
        let logged = try await rightsChanges(store, bob, since: bobHead)
        #expect(logged.map(\.flags) == [["lr"], ["lrs"], []])
        #expect(logged.allSatisfy { $0.mailboxID == box.id && $0.name == "\(alice)/Projects" })
        // The owner's feed and the mailbox's HIGHESTMODSEQ are untouched: nothing in it changed.
        #expect(try await c.feedHead(alice) == aliceHead)
        #expect(try await c.mailbox(alice, id: box.id).highestModSeq == box.highestModSeq)
        #expect(try await rightsChanges(store, carol, since: 0).isEmpty)
    }

    @Test("anyone reaches every account of the owner's domain whose rights change, and no other")
    func anyoneGrant() async throws {
        let (store, box) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "lr"))
        let bobHead = try await c.feedHead(bob)
        let carolHead = try await c.feedHead(carol)
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: "anyone", rights: "l"))
        // Bob already held l (and r): nothing changed for him.
        #expect(try await rightsChanges(store, bob, since: bobHead).isEmpty)
        #expect(try await rightsChanges(store, carol, since: carolHead).map(\.flags) == [["l"]])
        #expect(try await rightsChanges(store, mallory, since: 0).isEmpty)
        #expect(try await rightsChanges(store, alice, since: 0).isEmpty)
        try await c.deleteACL(alice, mailbox: box.id, identifier: "anyone")
        #expect(try await rightsChanges(store, carol, since: carolHead).map(\.flags) == [["l"], []])
    }

    @Test("A shared mailbox's deletion is in the owner's feed for those who held a right, and only them")
    func deletionReachesReaders() async throws {
        let (store, box) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "lr"))
        let head = try await c.feedHead(alice)
        try await c.deleteMailbox(alice, mailbox: box.id)
        // Bob has no right left on any of Alice's mailboxes, and still reads the deletion.
        let feed = try await c.changes(alice, since: head, reader: bob)
        #expect(feed.changes.map(\.kind) == [.mailboxDeleted])
        #expect(feed.changes.first?.mailboxID == box.id && feed.changes.first?.name == "Projects")
        #expect(feed.changes.first?.flags == nil)  // who held rights is the store's to know
        #expect(try await c.changes(alice, since: head).changes.first?.flags == nil)
        // Carol never had a right: as if Alice's feed did not exist for her (RFC 4314 §4).
        await #expect(throws: StoreClientError.self) { _ = try await c.changes(alice, since: head, reader: carol) }
        // Past the deletion there is nothing for Bob either.
        await #expect(throws: StoreClientError.self) { _ = try await c.changes(alice, since: feed.highestModSeq, reader: bob) }
    }

    @Test("Through anyone: a deletion reaches the owner's domain only")
    func deletionThroughAnyone() async throws {
        let (store, box) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: "anyone", rights: "lr"))
        let head = try await c.feedHead(alice)
        try await c.deleteMailbox(alice, mailbox: box.id)
        #expect(try await c.changes(alice, since: head, reader: carol).changes.map(\.kind) == [.mailboxDeleted])
        await #expect(throws: StoreClientError.self) { _ = try await c.changes(alice, since: head, reader: mallory) }
    }

    @Test("A reader with l but not r sees renames, not messages")
    func lookupOnly() async throws {
        let (store, box) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: box.id, SetACLRequest(identifier: bob, rights: "l"))
        let head = try await c.feedHead(alice)
        _ = try await c.append(sampleMessage(2), account: alice, mailbox: box.id)
        _ = try await c.updateMailbox(alice, mailbox: box.id, UpdateMailboxRequest(name: "Work"))
        let feed = try await c.changes(alice, since: head, reader: bob)
        #expect(feed.changes.map(\.kind) == [.mailboxRenamed])
        #expect(feed.changes.first?.name == "Work")
    }
}
