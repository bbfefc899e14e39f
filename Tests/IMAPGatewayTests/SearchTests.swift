import Foundation
import Testing

@testable import IMAPGateway

/// SEARCH and UID SEARCH: selected state only. RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 4731
/// (ESEARCH), RFC 5182 (SEARCHRES), RFC 7162 §3.1.5 (MODSEQ).
@Suite("SEARCH")
struct SearchTests {
    struct Spec {
        var flags: String
        var internalDate: String
        var message: [UInt8]
    }

    /// Five messages appended with their flags and internal dates:
    /// 1 Ana, "Quarterly report", 5 Jan, \Seen
    /// 2 Bob, "Lunch?", 10 Feb, \Flagged $Work
    /// 3 Carol, "Café meeting" (encoded-word), 15 Mar, \Answered \Seen, UTF-8 body
    /// 4 Ana, "Report follow-up", 20 Mar, \Deleted, X-Priority, large
    /// 5 Dave, "Hello", 1 Apr, no flags
    static let specs: [Spec] = [
        Spec(
            flags: "(\\Seen)", internalDate: "05-Jan-2026 12:00:00 +0000",
            message: Fixtures.message(
                from: "Ana <ana@remote.test>", subject: "Quarterly report", date: "Mon, 05 Jan 2026 12:00:00 +0000",
                body: "Numbers are up.")),
        Spec(
            flags: "(\\Flagged $Work)", internalDate: "10-Feb-2026 12:00:00 +0000",
            message: Fixtures.message(
                from: "bob@example.test", subject: "Lunch?", date: "Tue, 10 Feb 2026 12:00:00 +0000",
                body: "Pizza at noon")),
        Spec(
            flags: "(\\Answered \\Seen)", internalDate: "15-Mar-2026 12:00:00 +0000",
            message: Fixtures.message(
                from: "Carol <carol@remote.test>", subject: "=?UTF-8?Q?Caf=C3=A9?= meeting",
                date: "Sun, 15 Mar 2026 12:00:00 +0000",
                extra: [
                    "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                    "Content-Transfer-Encoding: 8bit",
                ],
                body: "Meet at the café.")),
        Spec(
            flags: "(\\Deleted)", internalDate: "20-Mar-2026 12:00:00 +0000",
            message: Fixtures.message(
                from: "ana@remote.test", subject: "Report follow-up", date: "Fri, 20 Mar 2026 12:00:00 +0000",
                extra: ["X-Priority: 1"], body: String(repeating: "More numbers. ", count: 100))),
        Spec(
            flags: "()", internalDate: "01-Apr-2026 12:00:00 +0000",
            message: Fixtures.message(from: "dave@else.test", subject: "Hello", date: "Wed, 01 Apr 2026 12:00:00 +0000", body: "Hi there")),
    ]

    static func setUp() async throws -> IMAPTranscript {
        let t = try await IMAPTranscript.start()
        await t.login()
        for (index, spec) in specs.enumerated() {
            let text = String(decoding: spec.message, as: UTF8.self)
            await t.send(
                "p\(index) APPEND INBOX \(spec.flags) \"\(spec.internalDate)\" {\(spec.message.count)}\r\n\(text)", last: "p\(index) OK")
        }
        await t.send("s0 SELECT INBOX", expect: ["* 5 EXISTS"], last: "s0 OK")
        return t
    }

    /// Sends a SEARCH and gives the numbers of its `* SEARCH` line.
    static func search(
        _ t: IMAPTranscript, _ tag: String, _ criteria: String, uid: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> [Int] {
        let out = await t.send("\(tag) \(uid ? "UID " : "")SEARCH \(criteria)", last: "\(tag) OK", sourceLocation: sourceLocation)
        guard let found = line(out, startingWith: "* SEARCH") else {
            Issue.record("no * SEARCH in \(out)", sourceLocation: sourceLocation)
            return []
        }
        return found.split(separator: " ").dropFirst(2).compactMap { Int($0) }
    }

    @Test("Outside the selected state SEARCH is BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 SEARCH ALL", last: "a1 BAD")
        await t.login()
        await t.send("a2 SEARCH ALL", last: "a2 BAD")
        await t.send("a3 UID SEARCH ALL", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("Flags and keywords")
    func flags() async throws {
        let t = try await Self.setUp()
        #expect(await Self.search(t, "a1", "ALL") == [1, 2, 3, 4, 5])
        #expect(await Self.search(t, "a2", "SEEN") == [1, 3])
        #expect(await Self.search(t, "a3", "UNSEEN") == [2, 4, 5])
        #expect(await Self.search(t, "a4", "FLAGGED") == [2])
        #expect(await Self.search(t, "a5", "UNFLAGGED") == [1, 3, 4, 5])
        #expect(await Self.search(t, "a6", "ANSWERED") == [3])
        #expect(await Self.search(t, "a7", "UNANSWERED") == [1, 2, 4, 5])
        #expect(await Self.search(t, "a8", "DELETED") == [4])
        #expect(await Self.search(t, "a9", "UNDELETED") == [1, 2, 3, 5])
        #expect(await Self.search(t, "b1", "KEYWORD $Work") == [2])
        #expect(await Self.search(t, "b2", "UNKEYWORD $Work") == [1, 3, 4, 5])
        #expect(await Self.search(t, "b3", "DRAFT") == [])
        #expect(await Self.search(t, "b4", "UNDRAFT") == [1, 2, 3, 4, 5])
        let empty = await t.send("b5 SEARCH DRAFT", last: "b5 OK")
        #expect(untagged(empty) == ["* SEARCH"])
        await t.close()
        await t.store.stop()
    }

    @Test("RECENT, NEW and OLD: the first session to select has the appended messages recent, the next none (RFC 3501 §6.4.4)")
    func recentNewOld() async throws {
        let t = try await Self.setUp()
        #expect(await Self.search(t, "a1", "RECENT") == [1, 2, 3, 4, 5])
        #expect(await Self.search(t, "a2", "NEW") == [2, 4, 5])
        #expect(await Self.search(t, "a3", "OLD") == [])
        #expect(await Self.search(t, "a4", "NOT RECENT SEEN") == [])
        #expect(await Self.search(t, "a5", "OR NEW SEEN") == [1, 2, 3, 4, 5])
        let other = try await t.another()
        await other.loginAndSelect()
        #expect(await Self.search(other, "b1", "RECENT") == [])
        #expect(await Self.search(other, "b2", "NEW") == [])
        #expect(await Self.search(other, "b3", "OLD") == [1, 2, 3, 4, 5])
        #expect(await Self.search(other, "b4", "NOT RECENT SEEN") == [1, 3])
        #expect(await Self.search(other, "b5", "OR NEW SEEN") == [1, 3])
        await other.close()
        await t.close()
        await t.store.stop()
    }

    @Test("Internal dates (BEFORE, ON, SINCE) and Date: header dates (SENTBEFORE, SENTON, SENTSINCE)")
    func dates() async throws {
        let t = try await Self.setUp()
        #expect(await Self.search(t, "a1", "BEFORE 10-Feb-2026") == [1])
        #expect(await Self.search(t, "a2", "ON 10-Feb-2026") == [2])
        #expect(await Self.search(t, "a3", "SINCE 15-Mar-2026") == [3, 4, 5])
        #expect(await Self.search(t, "a4", "SINCE 1-Feb-2026 BEFORE 16-Mar-2026") == [2, 3])
        #expect(await Self.search(t, "a5", "SENTBEFORE 15-Mar-2026") == [1, 2])
        #expect(await Self.search(t, "a6", "SENTON 20-Mar-2026") == [4])
        #expect(await Self.search(t, "a7", "SENTSINCE 20-Mar-2026") == [4, 5])
        await t.send("a8 SEARCH BEFORE 31-Feb-2026", last: "a8 BAD")
        await t.send("a9 SEARCH SINCE yesterday", last: "a9 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("LARGER and SMALLER compare RFC822.SIZE")
    func sizes() async throws {
        let t = try await Self.setUp()
        let size = Self.specs[0].message.count
        #expect(await Self.search(t, "a1", "LARGER 1000") == [4])
        #expect(await Self.search(t, "a2", "SMALLER 1000") == [1, 2, 3, 5])
        #expect(!(await Self.search(t, "a3", "LARGER \(size)")).contains(1))
        #expect(await Self.search(t, "a4", "SMALLER \(size + 1)").contains(1))
        await t.close()
        await t.store.stop()
    }

    @Test("HEADER, FROM, SUBJECT, TO: case-insensitive substrings; BODY and TEXT")
    func text() async throws {
        let t = try await Self.setUp()
        #expect(await Self.search(t, "a1", "FROM ana") == [1, 4])
        #expect(await Self.search(t, "a2", "FROM \"ANA@REMOTE\"") == [1, 4])
        #expect(await Self.search(t, "a3", "SUBJECT report") == [1, 4])
        #expect(await Self.search(t, "a4", "TO alice") == [1, 2, 3, 4, 5])
        #expect(await Self.search(t, "a5", "HEADER X-Priority 1") == [4])
        // An empty string matches every message that has the field (RFC 9051 §6.4.4).
        #expect(await Self.search(t, "a6", "HEADER X-Priority \"\"") == [4])
        #expect(await Self.search(t, "a7", "BODY pizza") == [2])
        #expect(await Self.search(t, "a8", "BODY report") == [])
        // TEXT looks in the header and the body.
        #expect(await Self.search(t, "a9", "TEXT report") == [1, 4])
        #expect(await Self.search(t, "b1", "TEXT \"numbers\"") == [1, 4])
        await t.close()
        await t.store.stop()
    }

    @Test("CHARSET UTF-8 with a literal finds decoded bodies and encoded-word subjects; an unknown charset is NO [BADCHARSET]")
    func charset() async throws {
        let t = try await Self.setUp()
        let cafe = "café"
        #expect(await Self.search(t, "a1", "CHARSET UTF-8 BODY {\(cafe.utf8.count)}\r\n\(cafe)") == [3])
        #expect(await Self.search(t, "a2", "CHARSET UTF-8 SUBJECT {\(cafe.utf8.count)+}\r\n\(cafe)") == [3])
        #expect(await Self.search(t, "a3", "CHARSET US-ASCII SUBJECT meeting") == [3])
        await t.send("a4 SEARCH CHARSET KOI8-R SUBJECT x", last: "a4 NO [BADCHARSET (UTF-8 US-ASCII)]")
        await t.send("a5 SEARCH CHARSET \"ISO-8859-1\" ALL", last: "a5 NO [BADCHARSET")
        await t.close()
        await t.store.stop()
    }

    @Test("Sequence sets, UID sets and UID SEARCH")
    func sets() async throws {
        let t = try await Self.setUp()
        // Make UIDs differ from sequence numbers: expunge message 1.
        await t.send("a0 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a0 OK")
        await t.send("a1 UID EXPUNGE 1", expect: ["* 1 EXPUNGE"], last: "a1 OK")
        // Now sequence 1..4 are UIDs 2..5.
        #expect(await Self.search(t, "a2", "2:3") == [2, 3])
        #expect(await Self.search(t, "a3", "*") == [4])
        #expect(await Self.search(t, "a4", "UID 3:4") == [2, 3])
        #expect(await Self.search(t, "a5", "2:3", uid: true) == [3, 4])
        #expect(await Self.search(t, "a6", "UID 1:3", uid: true) == [2, 3])
        #expect(await Self.search(t, "a7", "UID *", uid: true) == [5])
        #expect(await Self.search(t, "a8", "FLAGGED", uid: true) == [2])
        await t.close()
        await t.store.stop()
    }

    @Test("OR, NOT, parentheses and nesting")
    func logic() async throws {
        let t = try await Self.setUp()
        #expect(await Self.search(t, "a1", "OR FLAGGED ANSWERED") == [2, 3])
        #expect(await Self.search(t, "a2", "NOT SEEN") == [2, 4, 5])
        #expect(await Self.search(t, "a3", "(OR FROM ana FROM bob) NOT DELETED") == [1, 2])
        #expect(await Self.search(t, "a4", "OR (SEEN FROM carol) (UNSEEN SMALLER 1000)") == [2, 3, 5])
        #expect(await Self.search(t, "a5", "NOT (OR SEEN DELETED)") == [2, 5])
        #expect(await Self.search(t, "a6", "OR OR FLAGGED ANSWERED DELETED") == [2, 3, 4])
        #expect(await Self.search(t, "a7", "NOT NOT FLAGGED") == [2])
        await t.send("a8 SEARCH OR FLAGGED", last: "a8 BAD")
        await t.send("a9 SEARCH (FLAGGED", last: "a9 BAD")
        await t.send("b1 SEARCH FROBNICATE", last: "b1 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("ESEARCH: RETURN (MIN MAX COUNT ALL), RETURN () is ALL, no match gives COUNT 0 only (RFC 4731)")
    func esearch() async throws {
        let t = try await Self.setUp()
        let all = await t.send("a1 SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN", last: "a1 OK")
        #expect(untagged(all) == ["* ESEARCH (TAG \"a1\") MIN 2 MAX 5 COUNT 3 ALL 2,4:5"])
        let plain = await t.send("a2 SEARCH RETURN () UNDELETED", last: "a2 OK")
        #expect(responseLines(plain).first == "* ESEARCH (TAG \"a2\") ALL 1:3,5")
        let count = await t.send("a3 UID SEARCH RETURN (COUNT) SEEN", last: "a3 OK")
        #expect(responseLines(count).first == "* ESEARCH (TAG \"a3\") UID COUNT 2")
        let none = await t.send("a4 SEARCH RETURN (MIN MAX COUNT ALL) DRAFT", last: "a4 OK")
        #expect(responseLines(none).first == "* ESEARCH (TAG \"a4\") COUNT 0")
        let min = await t.send("a5 SEARCH RETURN (MIN) FROM ana", last: "a5 OK")
        #expect(responseLines(min).first == "* ESEARCH (TAG \"a5\") MIN 1")
        await t.send("a6 SEARCH RETURN (FROB) ALL", last: "a6 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("IMAP4rev2: a plain SEARCH is answered with ESEARCH (RFC 9051 §6.4.4, §7.3.4)")
    func imap4rev2() async throws {
        let t = try await Self.setUp()
        await t.send("a0 ENABLE IMAP4rev2", last: "a0 OK")
        let out = await t.send("a1 SEARCH UNSEEN", last: "a1 OK")
        #expect(untagged(out) == ["* ESEARCH (TAG \"a1\") ALL 2,4:5"], "\(out)")
        let uid = await t.send("a2 UID SEARCH DRAFT", last: "a2 OK")
        #expect(untagged(uid) == ["* ESEARCH (TAG \"a2\") UID"], "\(uid)")
        await t.close()
        await t.store.stop()
    }

    @Test("SAVE keeps the result for $ in FETCH, STORE and UID SEARCH (RFC 5182)")
    func saveAndDollar() async throws {
        let t = try await Self.setUp()
        // Before any SAVE, $ is empty.
        let empty = await t.send("a0 FETCH $ (UID)", last: "a0 OK")
        #expect(responseLines(empty).count == 1)
        let saved = await t.send("a1 SEARCH RETURN (SAVE) FROM ana", last: "a1 OK")
        // SAVE alone: no ESEARCH answer (RFC 5182 §2.4).
        #expect(untagged(saved).isEmpty)
        await t.send("a2 FETCH $ (UID)", expect: ["* 1 FETCH (UID 1)", "* 4 FETCH (UID 4)"], last: "a2 OK")
        #expect(await Self.search(t, "a3", "$ SEEN", uid: true) == [1])
        #expect(await Self.search(t, "a4", "UID $") == [1, 4])
        await t.send("a5 STORE $ +FLAGS.SILENT (\\Flagged)", last: "a5 OK")
        #expect(await Self.search(t, "a6", "FLAGGED") == [1, 2, 4])
        // With MIN alone only it is saved (RFC 5182 §2.4); the others are still reported.
        let minOnly = await t.send("a7 SEARCH RETURN (SAVE MIN) UNSEEN", last: "a7 OK")
        #expect(responseLines(minOnly).first == "* ESEARCH (TAG \"a7\") MIN 2")
        await t.send("a8 UID FETCH $ (FLAGS)", expect: ["* 2 FETCH (UID 2 FLAGS ("], last: "a8 OK")
        let fetched = await t.send("a9 FETCH $ (UID)", last: "a9 OK")
        #expect(responseLines(fetched).count == 2)
        // A new SELECT forgets the saved result.
        await t.send("b1 SELECT INBOX", last: "b1 OK")
        let forgotten = await t.send("b2 FETCH $ (UID)", last: "b2 OK")
        #expect(responseLines(forgotten).count == 1)
        await t.close()
        await t.store.stop()
    }

    @Test(
        "SAVE with MIN/MAX alone saves those; with COUNT or ALL beside them the whole result (RFC 5182 §2.4)",
        arguments: [
            ("SAVE MIN COUNT", "MIN 2 COUNT 3", [2, 4, 5]),
            ("MIN MAX COUNT SAVE", "MIN 2 MAX 5 COUNT 3", [2, 4, 5]),
            ("SAVE ALL MAX", "MAX 5 ALL 2,4:5", [2, 4, 5]),
            ("SAVE MIN MAX", "MIN 2 MAX 5", [2, 5]),
            ("SAVE MAX", "MAX 5", [5]),
            ("SAVE COUNT", "COUNT 3", [2, 4, 5]),
        ])
    func saveWithMinMax(options: String, reported: String, saved: [Int]) async throws {
        let t = try await Self.setUp()
        let out = await t.send("a1 SEARCH RETURN (\(options)) UNSEEN", last: "a1 OK")
        #expect(untagged(out) == ["* ESEARCH (TAG \"a1\") \(reported)"], "\(out)")
        let fetched = await t.send("a2 FETCH $ (UID)", last: "a2 OK")
        let uids = untagged(fetched).compactMap { number(after: "UID", in: $0).map(Int.init) }
        #expect(uids == saved, "\(options): \(fetched)")
        #expect(await Self.search(t, "a3", "$") == saved)
        await t.close()
        await t.store.stop()
    }

    @Test("MODSEQ: messages changed at or after a MODSEQ, with the highest in the answer (RFC 7162 §3.1.5)")
    func modseq() async throws {
        let t = try await Self.setUp()
        let status = await t.send("a1 STATUS INBOX (HIGHESTMODSEQ)", last: "a1 OK")
        let before = try #require(number(after: "HIGHESTMODSEQ", in: status))
        await t.send("a2 STORE 5 +FLAGS.SILENT (\\Seen)", last: "a2 OK")
        await t.send("a3 STORE 2 -FLAGS.SILENT (\\Flagged)", last: "a3 OK")
        let out = await t.send("a4 SEARCH MODSEQ \(before + 1)", last: "a4 OK")
        let found = try #require(line(out, startingWith: "* SEARCH"))
        #expect(found.hasPrefix("* SEARCH 2 5 (MODSEQ "), "\(out)")
        let highest = try #require(number(after: "MODSEQ", in: found))
        #expect(highest > before + 1)
        let entry = await t.send("a5 SEARCH MODSEQ \"/flags/\\\\seen\" all \(before + 1)", last: "a5 OK")
        #expect(entry.contains("* SEARCH 2 5 (MODSEQ"), "\(entry)")
        let esearch = await t.send("a6 SEARCH RETURN (COUNT) MODSEQ \(before + 1)", last: "a6 OK")
        #expect(responseLines(esearch).first == "* ESEARCH (TAG \"a6\") COUNT 2 MODSEQ \(highest)")
        let none = await t.send("a7 SEARCH MODSEQ \(highest + 1)", last: "a7 OK")
        #expect(responseLines(none).first == "* SEARCH")
        await t.close()
        await t.store.stop()
    }

    @Test("ESEARCH MIN/MAX with MODSEQ report the returned message's MODSEQ, not the whole result's (RFC 4731 §3.2)")
    func modseqOfMinMax() async throws {
        let t = try await Self.setUp()
        let status = await t.send("a1 STATUS INBOX (HIGHESTMODSEQ)", last: "a1 OK")
        let before = try #require(number(after: "HIGHESTMODSEQ", in: status))
        // Message 5 changes first, message 2 last: 2 holds the result's highest MODSEQ.
        await t.send("a2 STORE 5 +FLAGS.SILENT (\\Seen)", last: "a2 OK")
        await t.send("a3 STORE 2 -FLAGS.SILENT (\\Flagged)", last: "a3 OK")
        let five = try #require(number(after: "MODSEQ", in: await t.send("a4 FETCH 5 (MODSEQ)", last: "a4 OK")))
        let two = try #require(number(after: "MODSEQ", in: await t.send("a5 FETCH 2 (MODSEQ)", last: "a5 OK")))
        #expect(five < two)
        let max = await t.send("a6 SEARCH RETURN (MAX) MODSEQ \(before + 1)", last: "a6 OK")
        #expect(untagged(max) == ["* ESEARCH (TAG \"a6\") MAX 5 MODSEQ \(five)"], "\(max)")
        let min = await t.send("a7 UID SEARCH RETURN (MIN) MODSEQ \(before + 1)", last: "a7 OK")
        #expect(untagged(min) == ["* ESEARCH (TAG \"a7\") UID MIN 2 MODSEQ \(two)"], "\(min)")
        // Both: the higher of the two returned. With COUNT or ALL: the highest of all results.
        let both = await t.send("a8 SEARCH RETURN (MIN MAX) MODSEQ \(before + 1)", last: "a8 OK")
        #expect(untagged(both) == ["* ESEARCH (TAG \"a8\") MIN 2 MAX 5 MODSEQ \(two)"], "\(both)")
        let count = await t.send("a9 SEARCH RETURN (MAX COUNT) MODSEQ \(before + 1)", last: "a9 OK")
        #expect(untagged(count) == ["* ESEARCH (TAG \"a9\") MAX 5 COUNT 2 MODSEQ \(two)"], "\(count)")
        await t.close()
        await t.store.stop()
    }
}
