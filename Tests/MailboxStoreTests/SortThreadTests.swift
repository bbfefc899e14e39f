import Foundation
import InternetMessage
import MessageThreading
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

/// SORT and THREAD answered from the read model (ORDER BY over `message_index`, threads from
/// its columns) agree with `Shared/MessageThreading` run over the messages' own header fields;
/// thread ids kept at delivery group a conversation (Schema `v8-thread-ids`).
@Suite("SORT and THREAD on the read model")
struct SortThreadTests {
    /// Messages with reply chains (some parents missing), reply subjects, several senders and
    /// dates (some missing or unreadable).
    static func corpus(count: Int) -> [(raw: [UInt8], date: Double)] {
        var rng = SeededGenerator(seed: 5256)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        var out: [(raw: [UInt8], date: Double)] = []
        for n in 0..<count {
            let parent = n > 0 && n % 3 != 0 ? Int(rng.next() % UInt64(n)) : nil
            let missing = n % 7 == 5  // refers to a message nobody has
            var header = "From: \(pick(["Ana <ana@x.org>", "\"Zed\" <zed@y.org>", "bob@z.org", "=?utf-8?q?=C3=89lise?= <e@x.org>"]))\r\n"
            header += "To: \(pick(["alice@example.test", "Team <team@x.org>", "carol@c.org"]))\r\n"
            if n % 2 == 0 { header += "Cc: \(pick(["dave@d.org", "Eve <eve@e.org>"]))\r\n" }
            let topic = pick(["Lunch", "Budget", "[list] Plans", "Trip"])
            header += "Subject: \(parent != nil ? pick(["Re: ", "RE: Re: ", "Fwd: "]) : "")\(topic)\r\n"
            header += "Message-ID: <t\(n)@corpus.test>\r\n"
            if let parent {
                header += "In-Reply-To: <t\(parent)@corpus.test>\r\nReferences: <t\(parent)@corpus.test>\r\n"
            } else if missing {
                header += "References: <gone\(n)@corpus.test>\r\n"
            }
            let day = Int(rng.next() % 28) + 1
            switch n % 5 {
            case 4: break
            case 3: header += "Date: sometime\r\n"
            default: header += "Date: \(day) Jan 2024 \(Int(rng.next() % 24)):00:00 +0\(Int(rng.next() % 9))00\r\n"
            }
            out.append((Array((header + "\r\nBody \(n).\r\n").utf8), 1_704_067_200 + Double(rng.next() % 1_000_000)))
        }
        return out
    }

    @Test("SORT and THREAD from the index equal MessageThreading over the header fields; a conversation is one lookup")
    func sortAndThread() async throws {
        let store = try await TestStore.start(indexBatch: 0)
        defer { Task { await store.stop() } }
        let account = try await store.makeUser()
        let inbox = try await store.inbox(account)
        for message in Self.corpus(count: 40) {
            _ = try await store.client.append(message.raw, account: account, mailbox: inbox.id, internalDate: message.date)
        }
        let list = try await store.client.listMessages(account, mailbox: inbox.id)
        var sortable: [SortableMessage] = []
        var threadable: [ThreadableMessage] = []
        for summary in list.messages {
            let raw = try await store.client.rawMessage(account, mailbox: inbox.id, uid: summary.uid)
            let parse = MessageParser().parse(raw)
            func field(_ name: String) -> String? { parse.fields.first(named: name)?.rawValue }
            let arrival = Int64(summary.internalDate)
            sortable.append(
                SortableMessage(
                    uid: summary.uid, arrival: arrival, size: UInt64(summary.size), date: field("Date"), from: field("From"),
                    to: field("To"), cc: field("Cc"), subject: field("Subject")))
            threadable.append(
                ThreadableMessage(
                    uid: summary.uid, internalDate: arrival, messageID: field("Message-ID"), inReplyTo: field("In-Reply-To"),
                    references: field("References"), subject: field("Subject"), date: field("Date")))
        }
        let orders: [[SortKey]] = [
            [SortKey(.date), SortKey(.from), SortKey(.subject)], [SortKey(.arrival, reverse: true)], [SortKey(.size)],
            [SortKey(.to), SortKey(.cc, reverse: true)], [SortKey(.displayFrom)], [SortKey(.displayTo, reverse: true)],
            [SortKey(.subject, reverse: true), SortKey(.date)],
        ]
        for criteria in orders {
            let got = try await store.client.sort(account, mailbox: inbox.id, SortRequest(query: .all, criteria: criteria))
            #expect(got.uids == MessageSorter.sort(sortable, by: criteria), "\(criteria)")
            #expect(got.total == sortable.count)
        }
        // A query and a window (webmail's page).
        let page = try await store.client.sort(
            account, mailbox: inbox.id,
            SortRequest(query: .header(name: "SUBJECT", value: "lunch"), criteria: [SortKey(.date)], offset: 1, limit: 3))
        let lunch = sortable.filter { s in threadable.first { $0.uid == s.uid }!.baseSubject.lowercased() == "lunch" }
        let all = MessageSorter.sort(lunch, by: [SortKey(.date)])
        #expect(page.total == all.count && page.uids == Array(all.dropFirst().prefix(3)))

        for algorithm in [ThreadRequest.Algorithm.references, .orderedSubject] {
            let got = try await store.client.thread(account, mailbox: inbox.id, ThreadRequest(algorithm: algorithm, query: .all))
            let want =
                algorithm == .references ? ReferencesThreader.thread(threadable) : OrderedSubjectThreader.thread(threadable)
            #expect(got.threads == want, "\(algorithm)")
        }
        // Thread ids: the conversation of a message is every message linked to it by message
        // ids (Message-ID, In-Reply-To, References), directly or through others.
        let storage = try SQLiteStorage(directory: store.directory)
        var group: [String: String] = [:]
        func root(_ id: String) -> String {
            var id = id
            while let up = group[id], up != id { id = up }
            return id
        }
        func ids(_ m: ThreadableMessage) -> [String] { [m.messageID, m.inReplyTo].compactMap { $0 } + m.references }
        for message in threadable {
            let linked = ids(message)
            for id in linked where group[id] == nil { group[id] = id }
            for id in linked.dropFirst() { group[root(id)] = root(linked[0]) }
        }
        for uid: UInt32 in [1, 2, 5, 12] {
            let message = threadable.first { $0.uid == uid }!
            let want = threadable.filter { root(ids($0)[0]) == root(ids(message)[0]) }.map(\.uid)
            #expect(try await storage.conversation(account: account, mailboxID: inbox.id, uid: uid) == want, "\(uid)")
        }
    }
}
