import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// Access control lists (RFC 4314) as the store enforces them: nobody reads or writes another
/// account's mail without a grant, whatever route a gateway takes; grants stay in the owner's
/// domain; the owner can never be locked out.
@Suite("ACL")
struct ACLTests {
    let alice = "alice@example.test"
    let bob = "bob@example.test"
    let carol = "carol@example.test"
    let mallory = "mallory@other.test"

    /// Alice's INBOX with two messages; Bob, Carol (same domain) and Mallory (another) exist.
    func setUp() async throws -> (TestStore, MailboxInfo) {
        let store = try await TestStore.start()
        for user in [alice, bob, carol, mallory] { try await store.makeUser(user) }
        for n in 1...2 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        return (store, try await store.inbox(alice))
    }

    @Test("Without a grant every route answers as if the mailbox did not exist")
    func noGrantNoAccess() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        let expected = APIErrorCode.mailboxNotFound
        #expect(await errorCode { _ = try await c.listMessages(bob, mailbox: inbox.id) } == expected)
        #expect(await errorCode { _ = try await c.rawMessage(bob, mailbox: inbox.id, uid: 1) } == expected)
        #expect(await errorCode { _ = try await c.rawMessage(bob, mailbox: inbox.id, uid: 1, offset: 0, length: 10) } == expected)
        #expect(await errorCode { _ = try await c.mailbox(bob, id: inbox.id) } == expected)
        #expect(await errorCode { _ = try await c.myRights(bob, mailbox: inbox.id) } == expected)
        #expect(await errorCode { _ = try await c.getACL(bob, mailbox: inbox.id) } == expected)
        #expect(
            await errorCode {
                _ = try await c.updateFlags(bob, mailbox: inbox.id, FlagUpdateRequest(uids: "1:*", operation: .add, flags: ["\\Seen"]))
            }
                == expected)
        #expect(
            await errorCode { _ = try await c.expunge(bob, mailbox: inbox.id, ExpungeRequest(uids: nil, onlyDeleted: false)) } == expected)
        #expect(await errorCode { _ = try await c.append(sampleMessage(9), account: bob, mailbox: inbox.id) } == expected)
        #expect(await errorCode { _ = try await c.search(bob, mailbox: inbox.id, SearchRequest(query: .all)) } == expected)
        #expect(await errorCode { _ = try await c.claimRecent(bob, mailbox: inbox.id, RecentClaimRequest(upTo: 5)) } == expected)
        #expect(await errorCode { try await c.deleteMailbox(bob, mailbox: inbox.id) } == expected)
        #expect(
            await errorCode { _ = try await c.setACL(bob, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lr")) } == expected)
        #expect(await errorCode { _ = try await c.changes(alice, since: 0, reader: bob) } == .userNotFound)
        // Copying out of it, or into it from Bob's own mailbox.
        let bobInbox = try await store.inbox(bob)
        #expect(
            await errorCode { _ = try await c.copy(bob, mailbox: inbox.id, CopyRequest(uids: "1:*", targetMailboxID: bobInbox.id)) }
                == expected)
        _ = try await c.deliver(sampleMessage(5), to: [bob], idempotencyKey: nil)
        #expect(
            await errorCode { _ = try await c.copy(bob, mailbox: bobInbox.id, CopyRequest(uids: "1:*", targetMailboxID: inbox.id)) }
                == expected)
        #expect(try await c.sharedMailboxes(bob).isEmpty)
        // Nothing changed.
        let after = try await c.listMessages(alice, mailbox: inbox.id)
        #expect(after.messages.count == 2 && after.messages.allSatisfy { $0.flags.isEmpty })
    }

    @Test("A read grant reads, and nothing else: flags, expunge, append and admin are refused")
    func readOnlyGrant() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        let list = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lr"))
        #expect(list.entries.map(\.identifier) == [alice, bob] && list.entries[0].rights == "lrswipkxtea")
        #expect(try await c.listMessages(bob, mailbox: inbox.id).messages.count == 2)
        #expect(try await c.rawMessage(bob, mailbox: inbox.id, uid: 1) == sampleMessage(1))
        #expect(try await c.myRights(bob, mailbox: inbox.id).rights == "lr")
        let shared = try await c.sharedMailboxes(bob)
        #expect(shared.map(\.owner) == [alice] && shared.map(\.mailbox.name) == ["INBOX"] && shared[0].rights == "lr")
        let denied = APIErrorCode.noPermission
        #expect(
            await errorCode {
                _ = try await c.updateFlags(bob, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\Seen"]))
            }
                == denied)
        #expect(
            await errorCode {
                _ = try await c.updateFlags(bob, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\Deleted"]))
            }
                == denied)
        #expect(
            await errorCode {
                _ = try await c.updateFlags(bob, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["$Label"]))
            }
                == denied)
        #expect(
            await errorCode { _ = try await c.expunge(bob, mailbox: inbox.id, ExpungeRequest(uids: nil, onlyDeleted: false)) } == denied)
        #expect(await errorCode { _ = try await c.append(sampleMessage(9), account: bob, mailbox: inbox.id) } == denied)
        #expect(await errorCode { _ = try await c.getACL(bob, mailbox: inbox.id) } == denied)
        #expect(
            await errorCode { _ = try await c.setACL(bob, mailbox: inbox.id, SetACLRequest(identifier: carol, rights: "lr")) } == denied)
        #expect(await errorCode { try await c.deleteMailbox(bob, mailbox: inbox.id) } == denied)
        // Carol has nothing.
        #expect(await errorCode { _ = try await c.listMessages(carol, mailbox: inbox.id) } == .mailboxNotFound)
        let after = try await c.listMessages(alice, mailbox: inbox.id)
        #expect(after.messages.count == 2 && after.messages.allSatisfy { $0.flags.isEmpty })
    }

    @Test("s without w and t: \\Seen is stored, other flags in the same STORE are left alone")
    func partialFlagRights() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lrs"))
        let result = try await c.updateFlags(
            bob, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\Seen", "\\Flagged", "\\Deleted"]))
        #expect(result.messages.map(\.flags) == [["\\Seen"]])
        _ = try await c.updateFlags(alice, mailbox: inbox.id, FlagUpdateRequest(uids: "2", operation: .add, flags: ["\\Flagged", "x"]))
        // A FLAGS replace changes only what the rights allow: \Flagged and the keyword stay.
        let replaced = try await c.updateFlags(bob, mailbox: inbox.id, FlagUpdateRequest(uids: "2", operation: .replace, flags: ["\\Seen"]))
        #expect(Set(replaced.messages[0].flags) == ["\\Seen", "\\Flagged", "x"])
        // The owner's feed carries Bob's change, and Bob may read it for this mailbox.
        let feed = try await c.changes(alice, since: 0, reader: bob)
        #expect(feed.changes.contains { $0.kind == .flags && $0.uid == 1 })
        #expect(feed.changes.allSatisfy { $0.mailboxID == inbox.id })
    }

    @Test("Write rights: append, expunge and copy into the owner's mailbox, logged in the owner's feed")
    func writeGrant() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lr"))
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "ite", modification: .add))
        #expect(try await c.myRights(bob, mailbox: inbox.id).rights == "lrite")
        _ = try await c.append(sampleMessage(7), account: bob, mailbox: inbox.id, flags: ["\\Seen", "\\Deleted"])
        let listed = try await c.listMessages(alice, mailbox: inbox.id).messages
        #expect(listed.count == 3 && listed[2].flags == ["\\Deleted"])  // s not granted: \Seen left off
        #expect(try await c.expunge(bob, mailbox: inbox.id, ExpungeRequest(uids: nil, onlyDeleted: true)).expunged == [3])
        _ = try await c.deliver(sampleMessage(8), to: [bob], idempotencyKey: nil)
        let bobInbox = try await store.inbox(bob)
        let copied = try await c.copy(bob, mailbox: bobInbox.id, CopyRequest(uids: "1", targetMailboxID: inbox.id))
        #expect(copied.mapping == [[1, 4]])
        let feed = try await c.changes(alice, since: 0)
        #expect(feed.changes.contains { $0.kind == .added && $0.uid == 4 && $0.mailboxID == inbox.id })
        // Remove again: nothing left.
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lrite", modification: .remove))
        #expect(await errorCode { _ = try await c.listMessages(bob, mailbox: inbox.id) } == .mailboxNotFound)
    }

    @Test("Grants stay in the owner's domain; anyone means the domain; the owner cannot be changed")
    func identifiers() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        #expect(
            await errorCode { _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: mallory, rights: "lr")) }
                == .invalidIdentifier)
        #expect(
            await errorCode {
                _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: "nobody@example.test", rights: "lr"))
            }
                == .invalidIdentifier)
        #expect(
            await errorCode { _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: alice, rights: "")) }
                == .invalidIdentifier)
        #expect(
            await errorCode { _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lrZ")) }
                == .invalidRights
        )
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: "anyone", rights: "lr"))
        #expect(try await c.listMessages(carol, mailbox: inbox.id).messages.count == 2)
        #expect(try await c.listMessages(bob, mailbox: inbox.id).messages.count == 2)
        #expect(await errorCode { _ = try await c.listMessages(mallory, mailbox: inbox.id) } == .mailboxNotFound)
        #expect(try await c.sharedMailboxes(mallory).isEmpty)
        // Granting `a` lets Bob administer, but never take the owner's rights.
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lra"))
        #expect(
            await errorCode { _ = try await c.setACL(bob, mailbox: inbox.id, SetACLRequest(identifier: alice, rights: "")) }
                == .invalidIdentifier)
        _ = try await c.setACL(bob, mailbox: inbox.id, SetACLRequest(identifier: "anyone", rights: ""))
        #expect(try await c.getACL(alice, mailbox: inbox.id).entries.map(\.identifier) == [alice, bob])
        try await c.deleteACL(alice, mailbox: inbox.id, identifier: bob)
        #expect(try await c.getACL(alice, mailbox: inbox.id).entries.map(\.identifier) == [alice])
        #expect(try await c.myRights(alice, mailbox: inbox.id).rights == "lrswipkxtea")
    }

    @Test("A deleted account's grants go with it: a new account of the same address inherits nothing")
    func grantsDieWithTheAccount() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lr"))
        try await c.deleteUser(bob)
        try await store.makeUser(bob)
        #expect(await errorCode { _ = try await c.listMessages(bob, mailbox: inbox.id) } == .mailboxNotFound)
    }

    @Test("CREATE below a shared mailbox needs k and takes its ACL; RENAME of one needs x on it and k above the new name")
    func createAndRenameInAnotherNamespace() async throws {
        let (store, _) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        let projects = try await c.createMailbox(alice, CreateMailboxRequest(name: "Projects"))
        _ = try await c.setACL(alice, mailbox: projects.id, SetACLRequest(identifier: bob, rights: "lr"))
        _ = try await c.setACL(alice, mailbox: projects.id, SetACLRequest(identifier: carol, rights: "lrs"))
        let below = CreateMailboxRequest(name: "Projects/Plans", subscribed: false, parentID: projects.id)
        #expect(await errorCode { _ = try await c.createMailbox(bob, below) } == .noPermission)
        #expect(await errorCode { _ = try await c.createMailbox(mallory, below) } == .mailboxNotFound)
        _ = try await c.setACL(alice, mailbox: projects.id, SetACLRequest(identifier: bob, rights: "lrk"))
        #expect(
            await errorCode { _ = try await c.createMailbox(bob, CreateMailboxRequest(name: "Elsewhere", parentID: projects.id)) }
                == .noPermission)  // the top of Alice's namespace: no parent to hold k
        let plans = try await c.createMailbox(bob, below)
        // In Alice's namespace, unsubscribed there, with Projects' ACL (Bob and Carol keep theirs).
        #expect(try await c.listMailboxes(alice).contains { $0.id == plans.id && $0.name == "Projects/Plans" && !$0.subscribed })
        #expect(try await c.listMailboxes(bob).allSatisfy { $0.id != plans.id })
        // To Carol the inherited grant is a new mailbox she may look up (RFC 5465 §5.4).
        let carolsFeed = try await c.changes(carol, since: 0).changes
        #expect(carolsFeed.contains { $0.kind == .rights && $0.mailboxID == plans.id && $0.flags == ["lrs"] })
        #expect(
            try await c.getACL(alice, mailbox: plans.id).entries.map { "\($0.identifier) \($0.rights)" } == [
                "\(alice) lrswipkxtea", "\(bob) lrk", "\(carol) lrs",
            ])
        // RENAME: Bob has no x on Plans; given x he may move it only below a mailbox he holds k on.
        #expect(
            await errorCode { _ = try await c.updateMailbox(bob, mailbox: plans.id, UpdateMailboxRequest(name: "Projects/Ideas")) }
                == .noPermission)
        _ = try await c.setACL(alice, mailbox: plans.id, SetACLRequest(identifier: bob, rights: "lrkx"))
        #expect(
            await errorCode { _ = try await c.updateMailbox(bob, mailbox: plans.id, UpdateMailboxRequest(name: "Ideas")) } == .noPermission)
        let renamed = try await c.updateMailbox(bob, mailbox: plans.id, UpdateMailboxRequest(name: "Projects/Ideas"))
        #expect(renamed.id == plans.id && renamed.name == "Projects/Ideas")
        #expect(try await c.listMailboxes(alice).contains { $0.name == "Projects/Ideas" })
        // The owner's subscription is not Bob's to change.
        #expect(
            await errorCode { _ = try await c.updateMailbox(bob, mailbox: plans.id, UpdateMailboxRequest(subscribed: true)) }
                == .noPermission)
        // Alice's own CREATE below a shared folder shares the new one alike.
        let sub = try await c.createMailbox(alice, CreateMailboxRequest(name: "Projects/Ideas/Later"))
        #expect(try await c.myRights(carol, mailbox: sub.id).rights == "lrs")
    }

    @Test(
        "k counts on the nearest mailbox above the new name: a private folder between refuses; no special use, counts or INBOX for a grantee"
    )
    func createChecksTheMailboxItLandsIn() async throws {
        let (store, inbox) = try await setUp()
        defer { Task { await store.stop() } }
        let c = store.client
        let team = try await c.createMailbox(alice, CreateMailboxRequest(name: "Team"))
        _ = try await c.createMailbox(alice, CreateMailboxRequest(name: "Team/HR"))  // private: no grant
        _ = try await c.setACL(alice, mailbox: team.id, SetACLRequest(identifier: bob, rights: "lk"))
        #expect(
            await errorCode { _ = try await c.createMailbox(bob, CreateMailboxRequest(name: "Team/HR/x", parentID: team.id)) }
                == .noPermission)
        #expect(try await c.listMailboxes(alice).allSatisfy { $0.name != "Team/HR/x" })
        #expect(
            await errorCode {
                _ = try await c.createMailbox(bob, CreateMailboxRequest(name: "Team/Drafts", specialUse: "Drafts", parentID: team.id))
            }
                == .noPermission)
        // Levels made on the way take Team's ACL, so Bob sees what he made.
        let deep = try await c.createMailbox(bob, CreateMailboxRequest(name: "Team/New/Deep", parentID: team.id))
        #expect(try await c.sharedMailboxes(bob).map(\.mailbox.name).sorted() == ["Team", "Team/New", "Team/New/Deep"])
        // A grantee may only rename, with x; without r the answer has no counts.
        _ = try await c.setACL(alice, mailbox: deep.id, SetACLRequest(identifier: bob, rights: "lkx"))
        #expect(await errorCode { _ = try await c.updateMailbox(bob, mailbox: deep.id, UpdateMailboxRequest()) } == .noPermission)
        #expect(
            await errorCode { _ = try await c.updateMailbox(bob, mailbox: deep.id, UpdateMailboxRequest(name: "Team/New/Deep")) }
                == .noPermission)
        _ = try await c.append(sampleMessage(3), account: alice, mailbox: deep.id)  // a count Bob may not see
        let moved = try await c.updateMailbox(bob, mailbox: deep.id, UpdateMailboxRequest(name: "Team/Other/Deep"))
        #expect(moved.name == "Team/Other/Deep" && moved.messages == 0)
        #expect(try await c.sharedMailboxes(bob).map(\.mailbox.name).contains("Team/Other"))
        // INBOX is renamed by its owner only, whatever the grant.
        _ = try await c.setACL(alice, mailbox: inbox.id, SetACLRequest(identifier: bob, rights: "lrx"))
        #expect(
            await errorCode { _ = try await c.updateMailbox(bob, mailbox: inbox.id, UpdateMailboxRequest(name: "Team/Inbox")) }
                == .noPermission)
        #expect(try await c.listMessages(alice, mailbox: inbox.id).messages.count == 2)
    }
}
