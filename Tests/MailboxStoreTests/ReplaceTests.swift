import Foundation
import StoreAPI
import StoreClient
import StoreTestSupport
import Testing

@testable import MailboxStore

/// IMAP REPLACE in the store (RFC 8508 §3.3, `replaceMessage`): the new message appended and
/// the old one expunged in one transaction, the quota (RFC 9208 §4.3) checked on the net
/// change, and nothing changed at all when any part is refused.
@Suite("Replace")
struct ReplaceTests {
    static let alice = "alice@example.test"
    static let bob = "bob@example.test"

    /// What a refusal must leave as it was: both mailboxes' messages, usage, the feed.
    struct Snapshot: Equatable {
        var messages: [[MessageSummary]]
        var quota: QuotaInfo
        var feed: UInt64
        var uidNext: [UInt32]
    }

    static func snapshot(_ store: TestStore, _ mailboxes: [Int64], owner: String = alice) async throws -> Snapshot {
        var messages: [[MessageSummary]] = []
        var uidNext: [UInt32] = []
        for id in mailboxes {
            let list = try await store.client.listMessages(owner, mailbox: id)
            messages.append(list.messages)
            uidNext.append(list.mailbox.uidNext)
        }
        return Snapshot(
            messages: messages, quota: try await store.client.quota(of: owner),
            feed: try await store.client.changes(owner, since: 0).highestModSeq, uidNext: uidNext)
    }

    @Test("at a full MESSAGE quota a replacement goes through, and the old message is gone in the same write")
    func fullMessageQuota() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let inbox = try await store.inbox(Self.alice)
        let drafts = try await store.client.createMailbox(Self.alice, CreateMailboxRequest(name: "Notes"))
        _ = try await store.client.append(sampleMessage(1), account: Self.alice, mailbox: inbox.id)
        let first = try await store.client.append(sampleMessage(2), account: Self.alice, mailbox: drafts.id, flags: ["\\Draft"])
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: nil, messageLimit: 2)
        // An APPEND does not fit any more…
        #expect(
            await errorCode { _ = try await store.client.append(sampleMessage(3), account: Self.alice, mailbox: drafts.id) } == .overQuota)
        // …a REPLACE does: one in, one out.
        let result = try await store.client.replace(
            sampleMessage(4), account: Self.alice, mailbox: drafts.id, uid: first.copy.uid, target: drafts.id, flags: ["\\Draft", "\\Seen"])
        #expect(result.expunged == [first.copy.uid])
        #expect(result.copy.uid > first.copy.uid && result.uidValidity == drafts.uidValidity)
        let listed = try await store.client.listMessages(Self.alice, mailbox: drafts.id).messages
        #expect(listed.map(\.uid) == [result.copy.uid])
        #expect(Set(listed[0].flags) == ["\\Draft", "\\Seen"])
        #expect(try await store.client.rawMessage(Self.alice, mailbox: drafts.id, uid: result.copy.uid) == sampleMessage(4))
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 2)
        // Into another mailbox of the same account: still one in, one out.
        let moved = try await store.client.replace(
            sampleMessage(5), account: Self.alice, mailbox: drafts.id, uid: result.copy.uid, target: inbox.id)
        #expect(moved.copy.mailboxID == inbox.id && moved.expunged == [result.copy.uid])
        #expect(try await store.client.listMessages(Self.alice, mailbox: drafts.id).messages.isEmpty)
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 2)
        try await QuotaTests.expectUsageMatches(store)
    }

    @Test("at a full STORAGE quota a replacement no bigger fits; a bigger one is refused whole")
    func fullStorageQuota() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let inbox = try await store.inbox(Self.alice)
        let old = sampleMessage(1, body: String(repeating: "x", count: 1700))
        let first = try await store.client.append(old, account: Self.alice, mailbox: inbox.id)
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: 2, messageLimit: 1)
        let same = sampleMessage(2, body: String(repeating: "y", count: 1700))
        #expect(same.count == old.count)
        let kept = try await store.client.replace(same, account: Self.alice, mailbox: inbox.id, uid: first.copy.uid, target: inbox.id)
        let before = try await Self.snapshot(store, [inbox.id])
        // Past 2 KiB once the old one is gone: over-quota, and nothing moves — the old message,
        // usage, UIDNEXT and the feed are as they were.
        let bigger = sampleMessage(3, body: String(repeating: "z", count: 2200))
        #expect(
            await errorCode {
                _ = try await store.client.replace(bigger, account: Self.alice, mailbox: inbox.id, uid: kept.copy.uid, target: inbox.id)
            } == .overQuota)
        #expect(try await Self.snapshot(store, [inbox.id]) == before)
        // Larger than the whole quota on its own: said so, and nothing moves either.
        let huge = sampleMessage(4, body: String(repeating: "w", count: 4000))
        #expect(
            await errorCode {
                _ = try await store.client.replace(huge, account: Self.alice, mailbox: inbox.id, uid: kept.copy.uid, target: inbox.id)
            } == .largerThanQuota)
        #expect(try await Self.snapshot(store, [inbox.id]) == before)
        try await QuotaTests.expectUsageMatches(store)
    }

    @Test("a refusal of either half leaves the old message: a target gone, a right missing")
    func refusedWhole() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        try await store.makeUser(Self.bob)
        let inbox = try await store.inbox(Self.alice)
        let first = try await store.client.append(sampleMessage(1), account: Self.alice, mailbox: inbox.id)
        let before = try await Self.snapshot(store, [inbox.id])
        #expect(
            await errorCode {
                _ = try await store.client.replace(
                    sampleMessage(2), account: Self.alice, mailbox: inbox.id, uid: first.copy.uid, target: 999_999)
            } == .mailboxNotFound)
        #expect(try await Self.snapshot(store, [inbox.id]) == before)
        // Bob may read and insert into Alice's INBOX but not expunge from it (RFC 4314 §4: t and e).
        _ = try await store.client.setACL(Self.alice, mailbox: inbox.id, SetACLRequest(identifier: Self.bob, rights: "lri"))
        let shared = try await Self.snapshot(store, [inbox.id])
        #expect(
            await errorCode {
                _ = try await store.client.replace(
                    sampleMessage(3), account: Self.bob, mailbox: inbox.id, uid: first.copy.uid, target: inbox.id)
            } == .noPermission)
        #expect(try await Self.snapshot(store, [inbox.id]) == shared)
        // With t and e it goes, the new message counted against Alice's quota.
        _ = try await store.client.setACL(
            Self.alice, mailbox: inbox.id, SetACLRequest(identifier: Self.bob, rights: "te", modification: .add))
        let result = try await store.client.replace(
            sampleMessage(3), account: Self.bob, mailbox: inbox.id, uid: first.copy.uid, target: inbox.id)
        #expect(result.expunged == [first.copy.uid])
        #expect(try await store.client.listMessages(Self.alice, mailbox: inbox.id).messages.map(\.uid) == [result.copy.uid])
        // An old message another session expunged first: the new one is still stored.
        let again = try await store.client.replace(
            sampleMessage(4), account: Self.alice, mailbox: inbox.id, uid: first.copy.uid, target: inbox.id)
        #expect(again.expunged.isEmpty)
        #expect(try await store.client.listMessages(Self.alice, mailbox: inbox.id).messages.count == 2)
    }
}
