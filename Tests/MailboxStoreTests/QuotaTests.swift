import Foundation
import GRDB
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

/// Quotas (RFC 9208): usage kept exactly by every write, limits enforced by the store, all or
/// none (SQLiteStorage+Quota, migration v10-quota).
@Suite("Quota")
struct QuotaTests {
    static let alice = "alice@example.test"

    /// Usage as the account listing counts it, from the messages themselves.
    static func counted(_ store: TestStore, _ account: String = alice) async throws -> (Int64, Int64) {
        let user = try await store.client.user(account)
        return (Int64(user.bytes), Int64(user.messages))
    }

    static func expectUsageMatches(_ store: TestStore, _ account: String = alice) async throws {
        let q = try await store.client.quota(of: account)
        let (bytes, messages) = try await counted(store, account)
        #expect(q.storageUsed == bytes)
        #expect(q.messagesUsed == messages)
    }

    static func overQuota(_ error: any Error) -> Bool {
        (error as? StoreClientError)?.code == .overQuota
    }

    @Test("unlimited by default; usage follows delivery, APPEND, COPY, MOVE, EXPUNGE and DELETE")
    func usageFollowsEveryWrite() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        var q = try await store.client.quota(of: Self.alice)
        #expect(q == QuotaInfo())
        _ = try await store.client.deliver(sampleMessage(1), to: [Self.alice], idempotencyKey: nil)
        let inbox = try await store.inbox(Self.alice)
        _ = try await store.client.append(sampleMessage(2), account: Self.alice, mailbox: inbox.id)
        q = try await store.client.quota(of: Self.alice)
        #expect(q.messagesUsed == 2)
        #expect(q.storageUsed == Int64(sampleMessage(1).count + sampleMessage(2).count))
        let archive = try await store.client.createMailbox(Self.alice, CreateMailboxRequest(name: "Archive"))
        _ = try await store.client.copy(Self.alice, mailbox: inbox.id, CopyRequest(uids: "1:*", targetMailboxID: archive.id))
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 4)
        try await Self.expectUsageMatches(store)
        _ = try await store.client.copy(Self.alice, mailbox: archive.id, CopyRequest(uids: "1", targetMailboxID: inbox.id, move: true))
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 4)
        _ = try await store.client.updateFlags(
            Self.alice, mailbox: inbox.id, FlagUpdateRequest(uids: "1", operation: .add, flags: ["\\Deleted"]))
        _ = try await store.client.expunge(Self.alice, mailbox: inbox.id, ExpungeRequest())
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 3)
        try await Self.expectUsageMatches(store)
        try await store.client.deleteMailbox(Self.alice, mailbox: archive.id)
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 2)
        try await Self.expectUsageMatches(store)
    }

    @Test("a delivery over the message limit is refused and stores nothing for anyone")
    func deliveryRefusedWhole() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        try await store.makeUser("bob@example.test")
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: nil, messageLimit: 1)
        _ = try await store.client.deliver(sampleMessage(1), to: [Self.alice], idempotencyKey: nil)
        #expect(try await store.client.lookupRecipient(Self.alice).overQuota == true)
        #expect(try await store.client.lookupRecipient("bob@example.test").overQuota == nil)
        await #expect(
            performing: {
                _ = try await store.client.deliver(sampleMessage(2), to: ["bob@example.test", Self.alice], idempotencyKey: "k2")
            }, throws: Self.overQuota)
        #expect(try await store.inbox(Self.alice).messages == 1)
        #expect(try await store.inbox("bob@example.test").messages == 0)
        // Raising the limit lets the same delivery (same key: nothing was recorded) through.
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: nil, messageLimit: 2)
        let result = try await store.client.deliver(sampleMessage(2), to: ["bob@example.test", Self.alice], idempotencyKey: "k2")
        #expect(result.recipients.map(\.status) == [.delivered, .delivered])
    }

    @Test("STORAGE counts KiB: a message that would pass the limit is refused; one larger than the whole limit says so")
    func storageLimit() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let inbox = try await store.inbox(Self.alice)
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: 2, messageLimit: nil)
        let big = sampleMessage(1, body: String(repeating: "x", count: 1500))
        _ = try await store.client.append(big, account: Self.alice, mailbox: inbox.id)
        await #expect(
            performing: {
                _ = try await store.client.append(big, account: Self.alice, mailbox: inbox.id)
            }, throws: Self.overQuota)
        let huge = sampleMessage(2, body: String(repeating: "y", count: 3000))
        await #expect(
            performing: {
                _ = try await store.client.append(huge, account: Self.alice, mailbox: inbox.id)
            }, throws: { ($0 as? StoreClientError)?.code == .largerThanQuota })
        #expect(try await store.inbox(Self.alice).messages == 1)
        try await Self.expectUsageMatches(store)
    }

    @Test("MULTIAPPEND and COPY are all or none; MOVE and EXPUNGE work over the limit")
    func batchesAllOrNone() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        let inbox = try await store.inbox(Self.alice)
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: nil, messageLimit: 3)
        await #expect(
            performing: {
                _ = try await store.client.append(
                    (1...4).map { AppendBatch.Message(raw: sampleMessage($0)) }, account: Self.alice, mailbox: inbox.id)
            }, throws: { $0 is StoreClientError })
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 0)
        _ = try await store.client.append(
            (1...2).map { AppendBatch.Message(raw: sampleMessage($0)) }, account: Self.alice, mailbox: inbox.id)
        let archive = try await store.client.createMailbox(Self.alice, CreateMailboxRequest(name: "Archive"))
        await #expect(
            performing: {
                _ = try await store.client.copy(Self.alice, mailbox: inbox.id, CopyRequest(uids: "1:*", targetMailboxID: archive.id))
            }, throws: Self.overQuota)
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 2)
        // Lowered below what is used: nothing is deleted, a MOVE still goes, new mail does not.
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: nil, messageLimit: 1)
        _ = try await store.client.copy(Self.alice, mailbox: inbox.id, CopyRequest(uids: "1:*", targetMailboxID: archive.id, move: true))
        #expect(try await store.client.quota(of: Self.alice).messagesUsed == 2)
        await #expect(
            performing: {
                _ = try await store.client.append(sampleMessage(9), account: Self.alice, mailbox: inbox.id)
            }, throws: Self.overQuota)
        _ = try await store.client.updateFlags(
            Self.alice, mailbox: archive.id, FlagUpdateRequest(uids: "1:*", operation: .add, flags: ["\\Deleted"]))
        _ = try await store.client.expunge(Self.alice, mailbox: archive.id, ExpungeRequest())
        #expect(try await store.client.quota(of: Self.alice) == QuotaInfo(messageLimit: 1))
        _ = try await store.client.append(sampleMessage(9), account: Self.alice, mailbox: inbox.id)
    }

    @Test("concurrent deliveries never take usage past the limit")
    func concurrentDeliveries() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        _ = try await store.client.setQuota(of: Self.alice, storageLimit: nil, messageLimit: 5)
        let stored = await withTaskGroup(of: Bool.self) { group in
            for n in 1...20 {
                group.addTask { (try? await store.client.deliver(sampleMessage(n), to: [Self.alice], idempotencyKey: nil)) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(stored == 5)
        #expect(try await store.inbox(Self.alice).messages == 5)
        try await Self.expectUsageMatches(store)
    }

    @Test("the migration counts what accounts already hold; triggers keep it from there")
    func migrationCountsExisting() throws {
        let queue = try migratedDatabase(upTo: "v9-message-id-numbers")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.test', 0);
                    INSERT INTO accounts (id, address, domain_id, password_hash, created_at) VALUES
                        (1, 'alice@example.test', 1, 'h', 0), (2, 'bob@example.test', 1, 'h', 0);
                    INSERT INTO mailboxes (id, account_id, name, uid_validity) VALUES (1, 1, 'INBOX', 1), (2, 1, 'Old', 2), (3, 2, 'INBOX', 3);
                    INSERT INTO contents (id, size, header_size, created_at, parse, raw) VALUES (1, 100, 10, 0, '{}', x''), (2, 30, 10, 0, '{}', x'');
                    INSERT INTO mailbox_messages (mailbox_id, uid, content_id, modseq, internal_date) VALUES
                        (1, 1, 1, 1, 0), (2, 1, 1, 2, 0), (2, 2, 2, 3, 0);
                    """)
        }
        try Schema.migrator.migrate(queue)
        func usage(_ db: Database, _ account: Int) throws -> [Int64] {
            let row = try Row.fetchOne(db, sql: "SELECT storage_used, messages_used FROM quotas WHERE account_id = ?", arguments: [account])
            return row.map { [$0[0], $0[1]] } ?? []
        }
        try queue.write { db in
            #expect(try usage(db, 1) == [230, 3])
            #expect(try usage(db, 2) == [0, 0])
            // DELETE of a mailbox (its rows go by ON DELETE CASCADE) subtracts them once.
            try db.execute(sql: "DELETE FROM mailboxes WHERE id = 2")
            #expect(try usage(db, 1) == [100, 1])
            try db.execute(sql: "INSERT INTO mailbox_messages (mailbox_id, uid, content_id, modseq, internal_date) VALUES (3, 1, 2, 4, 0)")
            #expect(try usage(db, 2) == [30, 1])
            try db.execute(sql: "DELETE FROM mailboxes WHERE account_id = 2")
            try db.execute(sql: "DELETE FROM accounts WHERE id = 2")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM quotas") == 1)
            try db.execute(
                sql: "INSERT INTO accounts (id, address, domain_id, password_hash, created_at) VALUES (3, 'carol@example.test', 1, 'h', 0)")
            #expect(try usage(db, 3) == [0, 0])
        }
    }

    @Test("limits out of range are refused")
    func badLimits() async throws {
        let store = try await TestStore.start()
        defer { Task { await store.stop() } }
        try await store.makeUser()
        await expectCode(APIErrorCode.badRequest) {
            _ = try await store.client.setQuota(of: Self.alice, storageLimit: -1, messageLimit: nil)
        }
        await expectCode(APIErrorCode.userNotFound) {
            _ = try await store.client.setQuota(of: "nobody@example.test", storageLimit: 1, messageLimit: nil)
        }
    }
}
