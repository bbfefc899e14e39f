import Foundation
import GRDB
import MessageSearch
import StoreAPI
import StoreClient
import StoreTestSupport
import TestSupport
import Testing

@testable import MailboxStore

/// The read model answers SEARCH as the evaluator does (issue 12): a generated corpus is
/// searched through the store (indexes, Schema `v8-message-index`), the same corpus with the
/// indexes emptied (the scanning fallback for content not indexed yet), and by
/// `SearchEvaluator` over the raw messages in the test; all three must agree.
@Suite("Search on the read model")
struct SearchIndexTests {
    static let words = [
        "lunch", "Café", "cafe\u{301} noir", "ΣΟΦΟΣ", "Straße", "naïve", "report", "Budget Q3", "zürich", "déjà vu",
        "meeting", "x", "ab",
    ]

    /// A reproducible corpus exercising what the index must get right: encoded words, charsets,
    /// transfer encodings, HTML, attachments, encapsulated messages, address comments, missing
    /// and unreadable dates, combining marks.
    static func corpus(count: Int, seed: UInt64) -> [(raw: [UInt8], flags: [String], date: Double)] {
        var rng = SeededGenerator(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
        func word() -> String { pick(words) }
        var out: [(raw: [UInt8], flags: [String], date: Double)] = []
        for n in 0..<count {
            let from = pick([
                "\"Ana Pérez\" <ana@example.org>", "=?utf-8?q?Jos=C3=A9_P=C3=A9rez?= <jose@example.com>",
                "<user-from (comment)@ (comment) domain.org>", "bob@example.net (Bob Smith)", "Chef <chef@kitchen.test>",
            ])
            let to = pick(["alice@example.test", "Team: a@x.org, b@y.org;", "\"Carol, C.\" <carol@example.com>, dave@d.test"])
            let subject = pick([
                "\(word()) and \(word())", "=?utf-8?q?Caf=C3=A9?= \(word())", "Re: \(word())", "=?iso-8859-1?q?na=EFve?= plan",
                "=?utf-8?b?zqPOn86mzp/Oow==?=",
            ])
            let date = pick([
                "Mon, 1 Jan 2024 23:30:00 -0800", "2 Jan 2024 00:10:00 +1400", "Fri, 29 Feb 2024 12:00:00 +0000", "", "sometime",
            ])
            var header = "From: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\nMessage-ID: <m\(n)@corpus.test>\r\n"
            if !date.isEmpty { header += "Date: \(date)\r\n" }
            if n % 3 == 0 { header += "Cc: \(pick(["Zoë <zoe@example.com>", "ops@example.net"]))\r\n" }
            if n % 4 == 0 { header += "X-Tag: \(word())\r\n" }
            let body: String
            switch n % 6 {
            case 0: body = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello \(word()), see the \(word()).\r\n"
            case 1:
                body =
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCr=E8me br=FBl=E9e, soft=\r\n broken \(word()).\r\n"
            case 2:
                body =
                    "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Totals are <b>\(word())</b> &amp; more</p><script>hidden()</script>\r\n"
            case 3:
                body = """
                    MIME-Version: 1.0\r
                    Content-Type: multipart/mixed; boundary="b1"\r
                    \r
                    preamble\r
                    --b1\r
                    Content-Type: text/plain; charset=utf-8\r
                    \r
                    See the attached \(word()).\r
                    --b1\r
                    Content-Type: application/pdf; name="report.pdf"\r
                    Content-Disposition: attachment; filename="report.pdf"\r
                    Content-Transfer-Encoding: base64\r
                    \r
                    JVBERi0xLjQKc2VjcmV0d29yZCBpbnNpZGUgcGRmCiUlRU9GCg==\r
                    --b1\r
                    Content-Type: message/rfc822\r
                    \r
                    From: inner@example.com\r
                    Subject: Inner \(word())\r
                    \r
                    nested text\r
                    --b1--\r

                    """
            case 4:
                body =
                    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: base64\r\n\r\nROlq4CB2dSwgbmHvdmUgY2Fm6Q==\r\n"
            default: body = "\r\nUn cafe\u{301} noir, \(word()).\r\n"
            }
            let flags = [["\\Seen"], [], ["\\Flagged", "$Work"], ["\\Seen", "\\Answered"], ["$work"]][n % 5]
            out.append((Array((header + body).utf8), flags, 1_704_067_200 + Double(n) * 43_200))
        }
        return out
    }

    static func queries() -> [MessageQuery] {
        var out: [MessageQuery] = [
            .all, .flag(name: "\\Seen"), .noFlag(name: "\\seen"), .flag(name: "$WORK"), .noFlag(name: "$Work"),
            .flag(name: "\\Recent"), .larger(size: 400), .smaller(size: 300), .modSeq(atLeast: 10), .uids(set: "3:7,20:*"),
            .arrival(DayComparison(.on, day: "2024-01-03")), .arrival(DayComparison(.before, day: "2024-01-05")),
            .arrival(DayComparison(.since, day: "2024-01-10")), .sent(DayComparison(.on, day: "2024-01-01")),
            .sent(DayComparison(.before, day: "2024-01-02")), .sent(DayComparison(.since, day: "2024-01-10")),
            .header(name: "CC", value: ""), .header(name: "X-TAG", value: ""), .header(name: "X-TAG", value: "caf"),
            .header(name: "FROM", value: "user-from@domain.org"), .header(name: "FROM", value: "(comment)"),
            .header(name: "FROM", value: "bob smith"), .header(name: "TO", value: "carol, c."), .header(name: "TO", value: "a@x"),
            .header(name: "MESSAGE-ID", value: "m1"), .header(name: "SUBJECT", value: "inner"),
            .body(text: "crème BRÛLÉE"), .body(text: "soft broken"), .body(text: "totals are green"), .body(text: "<b>"),
            .body(text: "& more"), .body(text: "hidden"), .body(text: "secretword"), .body(text: "nested text"),
            .body(text: "preamble"), .body(text: ""), .text(text: "report.pdf"), .text(text: "subject: caf"),
            .text(text: "application/pdf"), .body(text: "line\nfeed"),
        ]
        for word in words {
            let folded = word.lowercased()
            for needle in [word, word.uppercased(), String(folded.prefix(1)), String(folded.prefix(2)), String(folded.suffix(3))] {
                out += [.header(name: "SUBJECT", value: needle), .body(text: needle), .text(text: needle)]
            }
            out.append(.header(name: "FROM", value: word))
        }
        out += [
            .or(.flag(name: "\\Seen"), .body(text: "lunch")), .not(.or(.header(name: "X-TAG", value: "report"), .larger(size: 500))),
            .and([.not(.body(text: "café")), .header(name: "SUBJECT", value: "re:")]), .not(.header(name: "X-TAG", value: "")),
            .and([.uids(set: "1:10"), .not(.text(text: "zz"))]),
            // Deeper than SQLite's expression limit as SQL: left to the evaluator whole.
            .and((0..<1_200).map { .not(.body(text: "absent-\($0)")) }),
            .and([.not(.header(name: "SUBJECT", value: "")), .header(name: "CC", value: ""), .body(text: "e")]),
            // A text key ANDed with keys that read the index entry (size, sent date): the search
            // starts from the text key's matches and joins the entries.
            .and([.larger(size: 400), .body(text: "lunch")]),
            .and([.sent(DayComparison(.since, day: "2024-01-02")), .text(text: "naïve")]),
            .and([.header(name: "SUBJECT", value: "report"), .not(.body(text: "lunch"))]),
        ]
        return out
    }

    /// What the evaluator says, from the messages themselves.
    static func expected(_ query: MessageQuery, _ messages: [(MessageSummary, [UInt8])]) throws -> [UInt32] {
        let search = try SearchEvaluator(largestUID: messages.map(\.0.uid).max() ?? 0).prepare(query)
        return messages.filter { summary, raw in
            let candidate = SearchCandidate(
                uid: summary.uid, flags: summary.flags, internalDate: summary.internalDate, size: summary.size,
                modSeq: summary.modSeq)
            return search.matches(candidate, content: SearchContent(raw: raw))
        }.map(\.0.uid)
    }

    @Test("indexed, not-yet-indexed and the evaluator give the same answers on a generated corpus")
    func indexEqualsScan() async throws {
        let store = try await TestStore.start(indexBatch: 0)
        defer { Task { await store.stop() } }
        let account = try await store.makeUser()
        let inbox = try await store.inbox(account)
        for message in Self.corpus(count: 48, seed: 12) {
            _ = try await store.client.append(
                message.raw, account: account, mailbox: inbox.id, flags: message.flags, internalDate: message.date)
        }
        let list = try await store.client.listMessages(account, mailbox: inbox.id)
        var messages: [(MessageSummary, [UInt8])] = []
        for summary in list.messages {
            messages.append((summary, try await store.client.rawMessage(account, mailbox: inbox.id, uid: summary.uid)))
        }
        let queries = Self.queries()
        var expected: [[UInt32]] = []
        for query in queries { expected.append(try Self.expected(query, messages)) }
        // Sanity: the corpus gives the queries something to tell apart.
        #expect(Set(expected.map(\.count)).count > 5)
        #expect(try Self.expected(.header(name: "FROM", value: "user-from@domain.org"), messages).count > 0)

        for (query, want) in zip(queries, expected) {
            let got = try await store.client.search(account, mailbox: inbox.id, SearchRequest(query: query)).uids
            #expect(got == want, "indexed: \(query)")
        }
        // And the index did answer: only the messages with combining marks (a decomposed "café"
        // here and there, 17 of 48) are left to the evaluator for text keys, none for the others.
        let storage = try SQLiteStorage(directory: store.directory)
        for query in [MessageQuery.body(text: "lunch"), .header(name: "SUBJECT", value: "ab"), .text(text: "naïve")] {
            let direct = try await storage.searchIndexed(account: account, mailboxID: inbox.id, uids: .all, query: query)
            #expect(direct.scan.count < messages.count / 2, "\(query)")
        }
        let flags = try await storage.searchIndexed(
            account: account, mailboxID: inbox.id, uids: .all, query: .and([.flag(name: "\\Seen"), .larger(size: 10)]))
        #expect(flags.scan.isEmpty && !flags.matched.isEmpty)
        // A text key ANDed at the top drives the search from its FTS matches; the rows it
        // cannot answer for come from the scan mark, whatever the mailbox's size.
        let driven = try await storage.searchIndexed(
            account: account, mailboxID: inbox.id, uids: .all, query: .and([.flag(name: "\\Seen"), .body(text: "lunch")]))
        #expect(!driven.matched.isEmpty && driven.scan.count < messages.count / 2)
        // Partly indexed (every third content's entry gone, as after an upgrade with the
        // background indexer halfway): the same answers.
        let queue = try DatabaseQueue(path: (store.directory as NSString).appendingPathComponent("store.sqlite"))
        try await queue.write { db in
            try db.execute(
                sql: """
                    DELETE FROM message_text WHERE rowid % 3 = 0;
                    DELETE FROM message_index WHERE content_id % 3 = 0;
                    """)
        }
        for (query, want) in zip(queries, expected) {
            let got = try await store.client.search(account, mailbox: inbox.id, SearchRequest(query: query)).uids
            #expect(got == want, "partly indexed: \(query)")
        }
        // Not yet indexed: the same answers by scanning.
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM message_index; DELETE FROM message_text;")
        }
        for (query, want) in zip(queries, expected) {
            let got = try await store.client.search(account, mailbox: inbox.id, SearchRequest(query: query)).uids
            #expect(got == want, "scanned: \(query)")
        }
    }

    @Test("the background indexer indexes what delivery did not, and SEARCH answers the same meanwhile")
    func backgroundIndexer() async throws {
        let directory = temporaryPath("buzon-indexer")
        let store = try await TestStore.start(directory: directory, indexBatch: 0)
        let account = try await store.makeUser()
        let inbox = try await store.inbox(account)
        for message in Self.corpus(count: 30, seed: 7) {
            _ = try await store.client.append(
                message.raw, account: account, mailbox: inbox.id, flags: message.flags, internalDate: message.date)
        }
        let query = MessageQuery.or(.body(text: "lunch"), .header(name: "FROM", value: "josé"))
        let before = try await store.client.search(account, mailbox: inbox.id, SearchRequest(query: query)).uids
        await store.stop()
        let queue = try DatabaseQueue(path: (directory as NSString).appendingPathComponent("store.sqlite"))
        try await queue.write { db in try db.execute(sql: "DELETE FROM message_index; DELETE FROM message_text;") }
        let storage = try SQLiteStorage(directory: directory)
        #expect(try await storage.unindexedCount() == 30)
        // Restarted with the indexer on (small batches): everything is indexed again.
        let restarted = try await TestStore.start(directory: directory, indexBatch: 7)
        defer { Task { await restarted.stop() } }
        for _ in 0..<200 where try await storage.unindexedCount() > 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await storage.unindexedCount() == 0)
        #expect(try await restarted.client.search(account, mailbox: inbox.id, SearchRequest(query: query)).uids == before)
        // Indexed again, only the texts with combining marks are left to scan.
        let scanned = try await storage.searchIndexed(account: account, mailboxID: inbox.id, uids: .all, query: .body(text: "lunch"))
        let marked = try await queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM message_index WHERE needs_characters") ?? -1
        }
        #expect(scanned.scan.count == marked && marked < 30)
        #expect(!before.isEmpty)
    }
}
