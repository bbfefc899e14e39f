import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

@Suite("UIDs, MODSEQs and the change feed")
struct IMAPStateTests {
    let alice = "alice@example.test"

    @Test("UIDs strictly ascend and are never reused after expunge")
    func uidsNeverReused() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...5 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        let removed = try await store.client.expunge(alice, mailbox: inbox.id, ExpungeRequest(uids: "4:5", onlyDeleted: false))
        #expect(removed.expunged == [4, 5])
        let next = try await store.client.deliver(sampleMessage(6), to: [alice], idempotencyKey: nil)
        #expect(next.recipients[0].deliveries[0].uid == 6)
        let uids = try await store.client.listMessages(alice, mailbox: inbox.id).messages.map(\.uid)
        #expect(uids == [1, 2, 3, 6])
    }

    @Test("UIDVALIDITY and UIDs are the same after a restart on the same data directory")
    func stableAcrossRestart() async throws {
        let first = try await TestStore.start()
        try await first.makeUser()
        for n in 1...3 { _ = try await first.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let before = try await first.client.listMailboxes(alice)
        await first.stop()
        let second = try await TestStore.start(directory: first.directory)
        defer { Task { await second.stop() } }
        let after = try await second.client.listMailboxes(alice)
        #expect(before.map(\.uidValidity) == after.map(\.uidValidity))
        #expect(before.map(\.uidNext) == after.map(\.uidNext))
        #expect(Set(after.map(\.uidValidity)).count == after.count, "each mailbox has its own UIDVALIDITY")
    }

    @Test("a deleted and re-created mailbox gets a new UIDVALIDITY")
    func recreatedMailbox() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let a = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Projects"))
        try await store.client.deleteMailbox(alice, mailbox: a.id)
        let b = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Projects"))
        #expect(b.uidValidity != a.uidValidity)
    }

    @Test("every change is in the feed exactly once, in MODSEQ order, expunges included")
    func changeFeed() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let start = try await store.client.changes(alice, since: 0).highestModSeq
        let inbox = try await store.inbox(alice)
        _ = try await store.client.deliver(sampleMessage(1), to: [alice], idempotencyKey: nil)
        _ = try await store.client.deliver(sampleMessage(2), to: [alice], idempotencyKey: nil)
        let stored = try await store.client.updateFlags(
            alice, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\Seen", "$Label1"]))
        #expect(stored.messages.map(\.flags) == [["\\Seen", "$Label1"]])
        // Setting the same flags again is not a change.
        _ = try await store.client.updateFlags(alice, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\seen"]))
        _ = try await store.client.updateFlags(
            alice, mailbox: inbox.id, FlagUpdateRequest(uids: "2", operation: .add, flags: ["\\Deleted"]))
        _ = try await store.client.expunge(alice, mailbox: inbox.id, ExpungeRequest(uids: nil, onlyDeleted: true))

        let feed = try await store.client.changes(alice, since: start)
        #expect(feed.changes.map(\.kind) == [.added, .added, .flags, .flags, .expunged])
        #expect(feed.changes.map(\.uid) == [1, 2, 1, 2, 2])
        let modseqs = feed.changes.map(\.modSeq)
        #expect(modseqs == modseqs.sorted() && Set(modseqs).count == modseqs.count)
        #expect(feed.highestModSeq == modseqs.last)
        #expect(try await store.inbox(alice).highestModSeq == modseqs.last)
        // Reading from the middle gives exactly the rest.
        let rest = try await store.client.changes(alice, since: modseqs[2])
        #expect(rest.changes.map(\.modSeq) == Array(modseqs[3...]))
        // Paging with a small limit gives every change once.
        var seen: [UInt64] = []
        var since = start
        while true {
            let page = try await store.client.changes(alice, since: since, limit: 2)
            seen += page.changes.map(\.modSeq)
            guard page.more, let last = page.changes.last else { break }
            since = last.modSeq
        }
        #expect(seen == modseqs)
    }

    @Test("a long-polling reader is woken by a delivery within milliseconds")
    func longPoll() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let since = try await store.client.changes(alice, since: 0).highestModSeq
        let client = store.client
        let waiting = Task { () -> (ChangeFeed, Duration) in
            let started = ContinuousClock.now
            let feed = try await client.changes("alice@example.test", since: since, wait: 20)
            return (feed, ContinuousClock.now - started)
        }
        try await Task.sleep(for: .milliseconds(300))
        let delivered = ContinuousClock.now
        _ = try await store.client.deliver(sampleMessage(), to: [alice], idempotencyKey: nil)
        let (feed, _) = try await waiting.value
        let delay = ContinuousClock.now - delivered
        #expect(feed.changes.map(\.kind) == [.added])
        #expect(delay < .seconds(2), "woken after \(delay)")
    }

    @Test("STORE with UNCHANGEDSINCE leaves newer messages alone")
    func unchangedSince() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...2 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        let list = try await store.client.listMessages(alice, mailbox: inbox.id)
        let first = list.messages[0].modSeq
        let result = try await store.client.updateFlags(
            alice, mailbox: inbox.id,
            FlagUpdateRequest(uids: "1:*", operation: .replace, flags: ["\\Flagged"], unchangedSince: first))
        #expect(result.modified == [2])
        #expect(result.messages.map(\.uid) == [1])
        await #expect(throws: StoreClientError.self) {
            _ = try await store.client.updateFlags(
                alice, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["bad flag"]))
        }
    }

    @Test("COPY and MOVE give new UIDs in the target and report the mapping")
    func copyAndMove() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        for n in 1...3 { _ = try await store.client.deliver(sampleMessage(n), to: [alice], idempotencyKey: nil) }
        let inbox = try await store.inbox(alice)
        _ = try await store.client.updateFlags(alice, mailbox: inbox.id, FlagUpdateRequest(uids: "2", operation: .add, flags: ["\\Seen"]))
        let archive = try await store.client.createMailbox(alice, CreateMailboxRequest(name: "Archive/2026", specialUse: "Archive"))
        let copied = try await store.client.copy(alice, mailbox: inbox.id, CopyRequest(uids: "2:3", targetMailboxID: archive.id))
        #expect(copied.mapping == [[2, 1], [3, 2]])
        #expect(copied.uidValidity == archive.uidValidity)
        let moved = try await store.client.copy(alice, mailbox: inbox.id, CopyRequest(uids: "1", targetMailboxID: archive.id, move: true))
        #expect(moved.mapping == [[1, 3]])
        #expect(try await store.client.listMessages(alice, mailbox: inbox.id).messages.map(\.uid) == [2, 3])
        let target = try await store.client.listMessages(alice, mailbox: archive.id).messages
        #expect(target.map(\.uid) == [1, 2, 3])
        #expect(target[0].flags == ["\\Seen"], "flags travel with a copy")
        let names = try await store.client.listMailboxes(alice).map(\.name)
        #expect(names.contains("Archive"), "CREATE makes the superior name too")
    }
}
