import Foundation
import GRDB
import MessageThreading
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

/// Message ids numbered (Schema `v9-message-id-numbers`): delivery writes each entry's numbers
/// in its transaction; entries written before the numbering thread the same through the text
/// path, while the background numbering goes through them, and after; a numbering stopped
/// half-way (a restart) resumes where it stopped.
@Suite("Message ids numbered for THREAD")
struct MessageIDNumbersTests {
    /// The corpus of `SortThreadTests` and messages for RFC 5256 §3's edge cases: a duplicated
    /// Message-ID, References that loop, an id twice in one References, In-Reply-To alone,
    /// ids differing only in case (different ids), no ids at all.
    static func messages() -> [(raw: [UInt8], date: Double)] {
        let extra = [
            "Message-ID: <t1@corpus.test>\r\nSubject: Re: Lunch\r\nReferences: <t0@corpus.test>",
            "Message-ID: <loop-a@x>\r\nSubject: loop\r\nReferences: <loop-b@x>",
            "Message-ID: <loop-b@x>\r\nSubject: loop\r\nReferences: <loop-a@x> <loop-b@x>",
            "Message-ID: <twice@x>\r\nSubject: twice\r\nReferences: <t2@corpus.test> <t3@corpus.test> <t2@corpus.test>",
            "Message-ID: <irt@x>\r\nSubject: Re: Trip\r\nIn-Reply-To: <t4@corpus.test>",
            "Message-ID: <Case@X>\r\nSubject: case\r\nIn-Reply-To: <case@x>",
            "Message-ID: <case@x>\r\nSubject: case",
            "Subject: no ids at all",
        ].enumerated().map { n, header in
            (raw: Array("\(header)\r\nFrom: a@b.c\r\n\r\nExtra \(n).\r\n".utf8), date: 1_704_000_000 + Double(n))
        }
        return SortThreadTests.corpus(count: 30) + extra
    }

    static func threads(_ store: TestStore, _ account: String, _ mailbox: Int64) async throws -> [ThreadNode] {
        try await store.client.thread(account, mailbox: mailbox, ThreadRequest(algorithm: .references, query: .all)).threads
    }

    /// Every entry's numbers, and the id text each number stands for.
    static func numbering(_ storage: SQLiteStorage) async throws -> (entries: [Int64: [UInt8]?], ids: [Int64: String]) {
        try await storage.pool.read { db in
            var entries: [Int64: [UInt8]?] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT content_id, id_numbers FROM message_index") {
                entries[row["content_id"]] = (row["id_numbers"] as Data?).map { [UInt8]($0) }
            }
            var ids: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT number, message_id FROM message_id_numbers") {
                ids[row["number"]] = row["message_id"]
            }
            return (entries, ids)
        }
    }

    /// Each entry's numbers stand for exactly its id columns' texts.
    static func expectNumbersMatchColumns(_ storage: SQLiteStorage) async throws {
        let (entries, ids) = try await numbering(storage)
        let columns = try storage.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT content_id, message_id, in_reply_to, refs FROM message_index")
        }
        #expect(Set(ids.values).count == ids.count, "one number per id")
        for row in columns {
            let content: Int64 = row["content_id"]
            guard let blob = entries[content] ?? nil, let numbers = MessageIDNumbers.decode(blob) else {
                Issue.record("content \(content) has no numbers")
                continue
            }
            #expect(ids[numbers.messageID] == row["message_id"] as String?)
            #expect(ids[numbers.inReplyTo] == row["in_reply_to"] as String?)
            let refs = (row["refs"] as String?)?.split(separator: " ").map(String.init) ?? []
            #expect(numbers.references.map { ids[$0] } == refs)
        }
    }

    @Test("delivery numbers the ids in its transaction; THREAD from the numbers equals the threader over the header fields")
    func deliveryNumbers() async throws {
        let store = try await TestStore.start(indexBatch: 0)
        defer { Task { await store.stop() } }
        let account = try await store.makeUser()
        let inbox = try await store.inbox(account)
        for message in Self.messages() {
            _ = try await store.client.append(message.raw, account: account, mailbox: inbox.id, internalDate: message.date)
        }
        let storage = try SQLiteStorage(directory: store.directory)
        #expect(try await storage.unnumberedCount() == 0)
        try await Self.expectNumbersMatchColumns(storage)
        let model = try await SortThreadPathTests.load(store, account, inbox.id)
        #expect(try await Self.threads(store, account, inbox.id) == ReferencesThreader.thread(model.threadable))
        // Read as numbers: no id interned.
        let input = try await storage.threadInput(account: account, mailboxID: inbox.id, uids: .all, query: .all)
        #expect(input?.ids.count == 0 && (input?.idCount ?? 0) > 0 && input?.count == Self.messages().count)
        // The same content in a second account: the same numbers, nothing numbered again.
        let before = try await Self.numbering(storage)
        let other = try await store.makeUser("bob@example.test")
        let otherInbox = try await store.inbox(other)
        for message in Self.messages().prefix(5) {
            _ = try await store.client.append(message.raw, account: other, mailbox: otherInbox.id, internalDate: message.date)
        }
        let after = try await Self.numbering(storage)
        #expect(after.ids == before.ids)
        try await Self.expectNumbersMatchColumns(storage)
    }

    @Test("entries from before the numbering thread the same before, during and after it; a restart mid-way resumes")
    func backgroundNumbering() async throws {
        var store = try await TestStore.start(indexBatch: 0)
        let account = try await store.makeUser()
        let inbox = try await store.inbox(account)
        for message in Self.messages() {
            _ = try await store.client.append(message.raw, account: account, mailbox: inbox.id, internalDate: message.date)
        }
        let model = try await SortThreadPathTests.load(store, account, inbox.id)
        let want = ReferencesThreader.thread(model.threadable)
        #expect(try await Self.threads(store, account, inbox.id) == want)

        // As a data directory from before Schema v9 is after its migration: no numbers.
        var storage = try SQLiteStorage(directory: store.directory)
        try await storage.pool.write { db in
            try db.execute(sql: "UPDATE message_index SET id_numbers = NULL")
            try db.execute(sql: "DELETE FROM message_id_numbers")
        }
        let total = try await storage.unnumberedCount()
        #expect(total == Self.messages().count)
        #expect(try await Self.threads(store, account, inbox.id) == want)
        let input = try await storage.threadInput(account: account, mailboxID: inbox.id, uids: .all, query: .all)
        #expect((input?.ids.count ?? 0) > 0, "read as text")

        // Part of it numbered, then a restart.
        let first = try await storage.numberMessageIDs(after: 0, limit: 10)
        #expect(first != nil)
        #expect(try await storage.unnumberedCount() == total - 10)
        #expect(try await Self.threads(store, account, inbox.id) == want)
        let partial = try await Self.numbering(storage)
        await store.stop()
        store = try await TestStore.start(directory: store.directory, indexBatch: 0)
        storage = try SQLiteStorage(directory: store.directory)
        #expect(try await storage.unnumberedCount() == total - 10)
        #expect(try await Self.threads(store, account, inbox.id) == want)

        // The numbering goes on from the start and finds only what is left: what was numbered
        // keeps its numbers.
        var batches = 0
        var after: Int64 = 0
        while let last = try await storage.numberMessageIDs(after: after, limit: 7) {
            after = last
            batches += 1
        }
        #expect(batches == (total - 10 + 6) / 7)
        #expect(try await storage.unnumberedCount() == 0)
        let done = try await Self.numbering(storage)
        for (content, numbers) in partial.entries where numbers != nil { #expect(done.entries[content] == numbers) }
        for (number, id) in partial.ids { #expect(done.ids[number] == id) }
        try await Self.expectNumbersMatchColumns(storage)
        #expect(try await Self.threads(store, account, inbox.id) == want)
        await store.stop()
    }

    @Test("the background indexer numbers entries written before the numbering")
    func indexerNumbers() async throws {
        let first = try await TestStore.start(indexBatch: 0)
        let account = try await first.makeUser()
        let inbox = try await first.inbox(account)
        for message in Self.messages() {
            _ = try await first.client.append(message.raw, account: account, mailbox: inbox.id, internalDate: message.date)
        }
        let want = try await Self.threads(first, account, inbox.id)
        var storage = try SQLiteStorage(directory: first.directory)
        try await storage.pool.write { db in
            try db.execute(sql: "UPDATE message_index SET id_numbers = NULL")
            try db.execute(sql: "DELETE FROM message_id_numbers")
        }
        await first.stop()
        let store = try await TestStore.start(directory: first.directory, indexBatch: 4)
        defer { Task { await store.stop() } }
        storage = try SQLiteStorage(directory: store.directory)
        let deadline = ContinuousClock.now + .seconds(20)
        while try await storage.unnumberedCount() > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await storage.unnumberedCount() == 0)
        try await Self.expectNumbersMatchColumns(storage)
        #expect(try await Self.threads(store, account, inbox.id) == want)
    }

    @Test("the migration leaves older entries unnumbered")
    func migration() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v8-thread-ids")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO message_index (content_id, size, message_id, has_attachment, sort_from, sort_to, sort_cc,
                        display_from, display_to, needs_characters) VALUES (1, 10, 'a@b', 0, '', '', '', '', '', 0)
                    """)
        }
        try Schema.migrator.migrate(queue)
        let (unnumbered, numbers) = try queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index WHERE id_numbers IS NULL"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM message_id_numbers")
            )
        }
        #expect(unnumbered == 1 && numbers == 0)
    }
}
