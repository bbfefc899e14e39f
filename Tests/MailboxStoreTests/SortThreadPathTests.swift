import Foundation
import GRDB
import Hummingbird
import InternetMessage
import MessageThreading
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

/// SORT and THREAD's paths through the store: the criteria in the same statement as the order
/// (`sortedWindow`, `threadInput`), `LIMIT`/`OFFSET` in SQL, UID sets as ranges, criteria SQL
/// cannot answer exactly (the SEARCH path), content not indexed yet (indexed on the spot), and
/// the answers' JSON written without `JSONEncoder`. Each gives what `Shared/MessageThreading`
/// gives over the messages' own header fields.
@Suite("SORT and THREAD paths on the read model")
struct SortThreadPathTests {
    struct Mailbox {
        var sortable: [SortableMessage] = []
        var threadable: [ThreadableMessage] = []
    }

    static func load(_ store: TestStore, _ account: String, _ mailbox: Int64) async throws -> Mailbox {
        var out = Mailbox()
        let list = try await store.client.listMessages(account, mailbox: mailbox)
        for summary in list.messages {
            let raw = try await store.client.rawMessage(account, mailbox: mailbox, uid: summary.uid)
            let parse = MessageParser().parse(raw)
            func field(_ name: String) -> String? { parse.fields.first(named: name)?.rawValue }
            let arrival = Int64(summary.internalDate)
            out.sortable.append(
                SortableMessage(
                    uid: summary.uid, arrival: arrival, size: UInt64(summary.size), date: field("Date"), from: field("From"),
                    to: field("To"), cc: field("Cc"), subject: field("Subject")))
            out.threadable.append(
                ThreadableMessage(
                    uid: summary.uid, internalDate: arrival, messageID: field("Message-ID"), inReplyTo: field("In-Reply-To"),
                    references: field("References"), subject: field("Subject"), date: field("Date")))
        }
        return out
    }

    @Test("windows, UID sets, search criteria in SQL and through SEARCH, unindexed content: the same answers")
    func paths() async throws {
        let store = try await TestStore.start(indexBatch: 0)
        defer { Task { await store.stop() } }
        let account = try await store.makeUser()
        let inbox = try await store.inbox(account)
        for message in SortThreadTests.corpus(count: 60) {
            _ = try await store.client.append(message.raw, account: account, mailbox: inbox.id, internalDate: message.date)
        }
        let model = try await Self.load(store, account, inbox.id)
        let criteria = [SortKey(.subject), SortKey(.date, reverse: true)]
        let sorted = MessageSorter.sort(model.sortable, by: criteria)

        // Windows of the whole mailbox: LIMIT/OFFSET in SQL, count and MODSEQ beside.
        for (offset, limit) in [(0, 5), (7, 10), (55, 10), (60, 3), (200, 1), (3, 0), (10, nil)] as [(Int, Int?)] {
            let got = try await store.client.sort(
                account, mailbox: inbox.id, SortRequest(query: .all, criteria: criteria, offset: offset, limit: limit))
            let start = min(offset, sorted.count)
            let end = limit.map { min(start + $0, sorted.count) } ?? sorted.count
            #expect(got.uids == Array(sorted[start..<end]), "\(offset) \(String(describing: limit))")
            #expect(got.total == sorted.count)
            #expect(got.highestModSeq != nil)
        }

        // A UID set of several ranges, as SQL ranges, with a window.
        let set: Set<UInt32> = Set(Array(3...9) + Array(20...31) + [44, 50])
        let inSet = sorted.filter { set.contains($0) }
        let windowed = try await store.client.sort(
            account, mailbox: inbox.id, SortRequest(query: .all, criteria: criteria, uids: "3:9,20:31,44,50", offset: 2, limit: 6))
        #expect(windowed.uids == Array(inSet.dropFirst(2).prefix(6)) && windowed.total == inSet.count)

        // Criteria SQL answers (FROM text, a flag) and one it cannot (a header the index does not
        // keep: SEARCH's evaluator decides): the same intersection with the sorted order.
        let fromAna: (ThreadableMessage) -> Bool = { m in
            model.sortable.first { $0.uid == m.uid }!.from == UnicodeCasemap.key("ana")
        }
        let ana = Set(model.threadable.filter(fromAna).map(\.uid))
        let withID = Set(model.threadable.map(\.uid))  // every message has a Message-ID header
        for (query, wanted) in [
            (MessageQuery.header(name: "FROM", value: "ana@x.org"), ana), (.header(name: "Message-ID", value: "corpus"), withID),
        ] {
            let got = try await store.client.sort(account, mailbox: inbox.id, SortRequest(query: query, criteria: criteria, limit: 50))
            let want = sorted.filter { wanted.contains($0) }
            #expect(got.uids == Array(want.prefix(50)) && got.total == want.count, "\(query)")
            for algorithm in [ThreadRequest.Algorithm.references, .orderedSubject] {
                let threads = try await store.client.thread(account, mailbox: inbox.id, ThreadRequest(algorithm: algorithm, query: query))
                let messages = model.threadable.filter { wanted.contains($0.uid) }
                let want =
                    algorithm == .references ? ReferencesThreader.thread(messages) : OrderedSubjectThreader.thread(messages)
                #expect(threads.threads == want, "\(algorithm) \(query)")
            }
        }

        // Content whose entries are gone (as for mail delivered before the read model): SORT and
        // THREAD meet it, index it and answer the same.
        let storage = try SQLiteStorage(directory: store.directory)
        try await storage.pool.write { db in
            let gone = "(SELECT content_id FROM mailbox_messages WHERE uid % 4 = 1)"
            try db.execute(sql: "DELETE FROM message_index WHERE content_id IN \(gone)")
            try db.execute(sql: "DELETE FROM message_text WHERE rowid IN \(gone)")
        }
        let again = try await store.client.sort(account, mailbox: inbox.id, SortRequest(query: .all, criteria: criteria))
        #expect(again.uids == sorted)
        try await storage.pool.write { db in
            let gone = "(SELECT content_id FROM mailbox_messages WHERE uid % 3 = 1)"
            try db.execute(sql: "DELETE FROM message_index WHERE content_id IN \(gone)")
            try db.execute(sql: "DELETE FROM message_text WHERE rowid IN \(gone)")
        }
        let threads = try await store.client.thread(account, mailbox: inbox.id, ThreadRequest(algorithm: .references, query: .all))
        #expect(threads.threads == ReferencesThreader.thread(model.threadable))
        let page = try await store.client.sort(
            account, mailbox: inbox.id, SortRequest(query: .all, criteria: criteria, offset: 4, limit: 4))
        #expect(page.uids == Array(sorted[4..<8]))
    }

    /// The answers' JSON, written directly, decodes to what `JSONEncoder`'s does.
    @Test func jsonAsJSONEncoderWrites() async throws {
        let sort = SortResult(uids: [3, 1, 4_294_967_295, 0, 10], total: 7, highestModSeq: 12_345_678_901_234)
        let threads = ThreadResult(threads: [
            ThreadNode(uid: 1, children: [ThreadNode(uid: 2, children: [ThreadNode(uid: 3)]), ThreadNode(uid: 9)]),
            ThreadNode(uid: nil, children: [ThreadNode(uid: 4), ThreadNode(uid: 5)]), ThreadNode(uid: 6),
        ])
        func body(_ buffer: ByteBuffer) -> Data { Data(buffer.readableBytesView) }
        let decoded = try JSONDecoder().decode(SortResult.self, from: body(SortJSON.bytes(sort)))
        #expect(decoded.uids == sort.uids && decoded.total == 7 && decoded.highestModSeq == sort.highestModSeq)
        let none = try JSONDecoder().decode(SortResult.self, from: body(SortJSON.bytes(SortResult(uids: [], total: 0, highestModSeq: nil))))
        #expect(none.uids.isEmpty && none.total == 0 && none.highestModSeq == nil)
        #expect(try JSONDecoder().decode(ThreadResult.self, from: body(SortJSON.bytes(threads))).threads == threads.threads)
        #expect(try JSONDecoder().decode(ThreadResult.self, from: body(SortJSON.bytes(ThreadResult(threads: [])))).threads == [])
        // From the threader's walk: the JSON of its trees.
        for messages in [SortThreadTests.corpus(count: 0), SortThreadTests.corpus(count: 30)] {
            let threadable = messages.enumerated().map { n, message in
                let parse = MessageParser().parse(message.raw)
                func field(_ name: String) -> String? { parse.fields.first(named: name)?.rawValue }
                return ThreadableMessage(
                    uid: UInt32(n + 1), internalDate: Int64(message.date), messageID: field("Message-ID"),
                    inReplyTo: field("In-Reply-To"), references: field("References"), subject: field("Subject"), date: field("Date"))
            }
            for walk in [ReferencesThreader.walk(ThreadInput(threadable)), OrderedSubjectThreader.walk(ThreadInput(threadable))] {
                let decoded = try JSONDecoder().decode(ThreadResult.self, from: body(SortJSON.bytes(walk)))
                #expect(
                    decoded.threads == walk.nodes && body(SortJSON.bytes(walk)) == body(SortJSON.bytes(ThreadResult(threads: walk.nodes))))
            }
        }
        // A dummy has no `uid` member at all, as JSONEncoder leaves out a nil optional.
        #expect(
            String(decoding: body(SortJSON.bytes(ThreadResult(threads: [ThreadNode(uid: nil)]))), as: UTF8.self)
                == #"{"threads":[{"children":[]}]}"#)
    }
}
