import Foundation
import InternetMessage
import MessageSearch
import StoreAPI
import Testing

/// `MessageQuery` evaluation (IMAP SEARCH semantics) against real messages parsed by
/// `MessageParser`. RFC 9051 §6.4.4
@Suite struct SearchEvaluatorTests {
    // MARK: Fixtures

    /// Messages as written, LF turned into CRLF.
    private enum Fixture {
        static func content(_ text: String) -> SearchContent {
            SearchContent(raw: Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        }

        static let plain = content(
            """
            From: =?utf-8?q?Jos=C3=A9_P=C3=A9rez?= <jose@example.com>
            To: Ana <ana@example.org>, bob@example.net
            Cc: "Carol, C." <carol@example.com>
            Bcc: secret@example.com
            Subject: =?utf-8?q?Caf=C3=A9?= menu
            Date: Mon, 1 Jan 2024 23:30:00 -0800
            Message-ID: <1@example.com>
            X-Folded: first part
             second part
            X-Empty:
            X-Tag: alpha
            X-Tag: beta

            Hello World, the quick brown fox.

            """)

        static let quotedPrintableLatin1 = content(
            """
            From: chef@example.com
            Subject: dessert
            Date: 2 Jan 2024 00:10:00 +1400
            MIME-Version: 1.0
            Content-Type: text/plain; charset=ISO-8859-1
            Content-Transfer-Encoding: quoted-printable

            Today: Cr=E8me br=FBl=E9e, a very long line that is soft=
             broken here.

            """)

        static let base64Latin1 = content(
            """
            From: x@example.com
            Subject: base64
            MIME-Version: 1.0
            Content-Type: text/plain; charset="iso-8859-1"
            Content-Transfer-Encoding: base64

            ROlq4CB2dSwgbmHvdmUgY2Fm6Q==

            """)

        static let withAttachment = content(
            """
            From: reports@example.com
            Subject: monthly report
            Date: Fri, 29 Feb 2024 12:00:00 +0000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"

            This is the preamble, not searched.
            --b1
            Content-Type: text/plain; charset=utf-8

            See the attached report.
            --b1
            Content-Type: text/html; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            <p>Totals are <b>green</b></p>
            --b1
            Content-Type: application/pdf; name="report.pdf"
            Content-Disposition: attachment;
             filename="report.pdf"
            Content-Description: =?utf-8?q?R=C3=A9sum=C3=A9?=
            Content-Transfer-Encoding: base64

            JVBERi0xLjQKc2VjcmV0d29yZCBpbnNpZGUgcGRmCiUlRU9GCg==
            --b1
            Content-Type: message/rfc822

            From: inner@example.com
            Subject: Inner subject

            nested text
            --b1--

            """)

        static let noDate = content(
            """
            From: a@example.com
            Subject: no date here

            body

            """)

        static let badDate = content(
            """
            From: a@example.com
            Date: sometime last week
            Subject: bad date

            body

            """)

        /// "café" with a combining acute accent (NFD), and a Greek word in capitals.
        static let decomposed = content(
            """
            From: a@example.com
            Subject: =?utf-8?b?zqPOn86mzp/Oow==?=
            Content-Type: text/plain; charset=utf-8

            Un cafe\u{301} noir.

            """)
    }

    /// 2024-01-01T00:00:00Z.
    private static let newYear2024: Double = 1_704_067_200
    private static let day: Double = 86_400

    private static func date(_ text: String) -> String { searchDate(text) }

    private static func candidate(
        uid: UInt32 = 10, flags: [String] = [], date: Double = newYear2024 + 3_600, size: Int = 100, modSeq: UInt64 = 5
    ) -> SearchCandidate {
        SearchCandidate(uid: uid, flags: flags, internalDate: date, size: size, modSeq: modSeq)
    }

    private static let evaluator = SearchEvaluator(largestUID: 30)

    private func matches(
        _ key: MessageQuery, _ content: SearchContent? = nil, _ candidate: SearchCandidate = candidate(),
        evaluator: SearchEvaluator = evaluator
    ) -> Bool {
        // swift-format-ignore: NeverUseForceTry
        try! evaluator.matches(key, candidate, content: content)
    }

    // MARK: Flags

    @Test(arguments: [
        (MessageQuery.flag(.seen), true), (.flag(.answered), true), (.flag(.flagged), false), (.flag(.deleted), false),
        (.flag(.draft), true), (.noFlag(.seen), false), (.noFlag(.flagged), true), (.noFlag(.draft), false),
        (.flag(TestFlag("$Junk")!), true), (.flag(TestFlag("$JUNK")!), true), (.flag(TestFlag("work")!), false),
        (.noFlag(TestFlag("$junk")!), false), (.noFlag(TestFlag("work")!), true), (.all, true),
    ])
    func flags(key: MessageQuery, expected: Bool) {
        // Stored spellings differ in case from the canonical ones: flags ignore case.
        let c = Self.candidate(flags: ["\\SEEN", "\\answered", "\\Draft", "$junk"])
        #expect(matches(key, nil, c) == expected)
    }

    // MARK: Dates

    @Test(arguments: [
        // (seconds after 2024-01-01T00:00Z, key, expected)
        (0.0, "ON", "1-Jan-2024", true), (86_399, "ON", "1-Jan-2024", true), (86_400, "ON", "1-Jan-2024", false),
        (-1, "ON", "1-Jan-2024", false), (-1, "ON", "31-Dec-2023", true),
        (0, "BEFORE", "1-Jan-2024", false), (-1, "BEFORE", "1-Jan-2024", true), (86_399, "BEFORE", "2-Jan-2024", true),
        (0, "SINCE", "1-Jan-2024", true), (-1, "SINCE", "1-Jan-2024", false), (86_399, "SINCE", "2-Jan-2024", false),
        (86_400, "SINCE", "2-Jan-2024", true),
    ])
    func internalDateAtDayBoundaries(offset: Double, key: String, date: String, expected: Bool) {
        let d = Self.date(date)
        let searchKey: MessageQuery = key == "ON" ? .on(d) : key == "BEFORE" ? .before(d) : .since(d)
        #expect(matches(searchKey, nil, Self.candidate(date: Self.newYear2024 + offset)) == expected)
    }

    @Test func internalDatesFarFromNow() {
        #expect(matches(.on(Self.date("1-Jan-1970")), nil, Self.candidate(date: 0)))
        #expect(matches(.on(Self.date("31-Dec-1969")), nil, Self.candidate(date: -0.5)))
        #expect(matches(.since(Self.date("29-Feb-2000")), nil, Self.candidate(date: 951_782_400)))
        _ = matches(.before(Self.date("1-Jan-0001")), nil, Self.candidate(date: .nan))  // no trap
        _ = matches(.on(Self.date("1-Jan-0001")), nil, Self.candidate(date: -.infinity))
        #expect(matches(.before(Self.date("1-Jan-9999")), nil, Self.candidate(date: 1e30)) == false)
    }

    @Test func sentDatesUseTheDayAsWritten() {
        // "Mon, 1 Jan 2024 23:30:00 -0800" is 2 Jan in UTC, but the written day is 1 Jan.
        let c = Self.candidate(date: Self.newYear2024 + 40 * Self.day)
        #expect(matches(.sentOn(Self.date("1-Jan-2024")), Fixture.plain, c))
        #expect(!matches(.sentOn(Self.date("2-Jan-2024")), Fixture.plain, c))
        #expect(matches(.sentBefore(Self.date("2-Jan-2024")), Fixture.plain, c))
        #expect(!matches(.sentBefore(Self.date("1-Jan-2024")), Fixture.plain, c))
        #expect(matches(.sentSince(Self.date("1-Jan-2024")), Fixture.plain, c))
        #expect(!matches(.sentSince(Self.date("2-Jan-2024")), Fixture.plain, c))
        // "2 Jan 2024 00:10:00 +1400" is 1 Jan in UTC, written 2 Jan (no weekday).
        #expect(matches(.sentOn(Self.date("2-Jan-2024")), Fixture.quotedPrintableLatin1, c))
        #expect(matches(.sentOn(Self.date("29-Feb-2024")), Fixture.withAttachment, c))
    }

    @Test func sentDatesFallBackToTheInternalDate() {
        let c = Self.candidate(date: Self.newYear2024 + 64 * Self.day + 5)  // 5-Mar-2024
        for content in [Fixture.noDate, Fixture.badDate, nil] {
            #expect(matches(.sentOn(Self.date("5-Mar-2024")), content, c))
            #expect(matches(.sentBefore(Self.date("6-Mar-2024")), content, c))
            #expect(!matches(.sentSince(Self.date("6-Mar-2024")), content, c))
        }
    }

    @Test(arguments: [
        ("Mon, 1 Jan 2024 23:30:00 -0800", "1-Jan-2024"), ("1 Jan 24 10:00 GMT", "1-Jan-2024"),
        ("Fri, 3 Mar 99 10:00:00 EST", "3-Mar-1999"), ("(comment) Tue, 2 Jan 2024 (x) 01:00 +1300", "2-Jan-2024"),
        ("Mon Jan  1 10:00:00 2024", "1-Jan-2024"), ("15-Feb-2024 08:00 +0100", "15-Feb-2024"),
    ])
    func sentDateForms(header: String, day: String) {
        let content = Fixture.content("From: a@b\nDate: \(header)\n\nx\n")
        let c = Self.candidate(date: 0)
        #expect(matches(.sentOn(Self.date(day)), content, c), "\(header)")
    }

    // MARK: Sizes and MODSEQ

    @Test func sizesAreStrict() {
        let c = Self.candidate(size: 100)
        #expect(!matches(.larger(100), nil, c))
        #expect(matches(.larger(99), nil, c))
        #expect(!matches(.smaller(100), nil, c))
        #expect(matches(.smaller(101), nil, c))
        #expect(!matches(.larger(UInt64.max), nil, c))
        #expect(matches(.smaller(UInt64.max), nil, c))
    }

    @Test func modSeqIsAtLeast() {
        let c = Self.candidate(modSeq: 5)
        #expect(matches(.modSeq(5), nil, c))
        #expect(matches(.modSeq(1), nil, c))
        #expect(!matches(.modSeq(6), nil, c))
    }

    // MARK: Sets

    @Test func uidSets() {
        // Largest UID 30; the candidate is UID 10.
        #expect(matches(.uid("1:5,9:11"), nil))
        #expect(matches(.uid("11:9"), nil))  // reversed range
        #expect(!matches(.uid("11:*"), nil))
        #expect(matches(.uid("*"), nil, Self.candidate(uid: 30)))
        #expect(matches(.uid("40:*"), nil, Self.candidate(uid: 30)))  // RFC 9051: 40:* is 30:40
        #expect(!matches(.uid("40:*"), nil, Self.candidate(uid: 29)))
        #expect(matches(.uid("4294967295"), nil, Self.candidate(uid: .max)))
        #expect(matches(.uid("1:3,2:8,8:12"), nil))  // overlapping ranges merge
    }

    @Test func starInAnEmptyMailbox() throws {
        let empty = SearchEvaluator(largestUID: 0)
        let search = try empty.prepare(.uid("*"))
        #expect(search.contentNeed == .none)
        // No message exists; a stray candidate with UID 1 is not `*`.
        #expect(!search.matches(Self.candidate(uid: 1), content: nil))
    }

    @Test func unreadableQueriesAreRefused() {
        for query in [MessageQuery.uid("1:x"), .uid(""), .on("2024-02-30"), .sentOn("1-Jan-2024"), .and([.all, .since("2024-1-1")])] {
            #expect(throws: SearchEvaluator.InvalidQuery.self) { try Self.evaluator.prepare(query) }
        }
    }

    // MARK: Header keys

    @Test(arguments: ["café", "CAFÉ", "Café Menu", "é m", "menu"])
    func encodedSubjectMatches(needle: String) {
        #expect(matches(.header("SUBJECT", needle), Fixture.plain))
    }

    @Test(arguments: ["cafe", "=?utf-8?q?", "Caf=C3=A9", "menus"])
    func encodedSubjectDoesNotMatch(needle: String) {
        // Decoded text only, and accents count.
        #expect(!matches(.header("SUBJECT", needle), Fixture.plain))
    }

    @Test(arguments: [
        ("FROM", "josé", true), ("FROM", "JOSÉ PÉREZ", true), ("FROM", "jose@EXAMPLE.com", true), ("FROM", "<jose@", true),
        ("FROM", "ana", false), ("TO", "Ana", true), ("TO", "bob@example.net", true), ("TO", "carol", false),
        ("CC", "carol, c.", true), ("CC", "\"Carol", true), ("BCC", "secret", true), ("BCC", "bob", false),
        ("MESSAGE-ID", "<1@example.com>", true), ("message-id", "1@EXAMPLE", true),
    ])
    func addressAndOtherFields(field: String, needle: String, expected: Bool) {
        #expect(matches(.header(field, needle), Fixture.plain) == expected)
    }

    @Test func everyFieldOfTheNameIsSearched() {
        #expect(matches(.header("X-TAG", "alpha"), Fixture.plain))
        #expect(matches(.header("X-TAG", "BETA"), Fixture.plain))
        #expect(!matches(.header("X-TAG", "alphabeta"), Fixture.plain))
    }

    @Test func headerValuesAreUnfolded() {
        #expect(matches(.header("X-FOLDED", "first part second part"), Fixture.plain))
        #expect(matches(.header("x-folded", "part second"), Fixture.plain))
        #expect(!matches(.header("X-FOLDED", "part\r\n second"), Fixture.plain))
    }

    @Test func headerSearchesOnlyTheValue() {
        #expect(!matches(.header("SUBJECT", "subject"), Fixture.plain))
        #expect(!matches(.header("SUBJECT", ": "), Fixture.plain))
        // A name that only prefixes another field's is not that field.
        #expect(!matches(.header("X-FOLD", ""), Fixture.plain))
    }

    @Test func emptyHeaderValueMatchesWhenTheFieldExists() {
        #expect(matches(.header("X-FOLDED", ""), Fixture.plain))
        #expect(matches(.header("X-EMPTY", ""), Fixture.plain))  // present though empty
        #expect(!matches(.header("X-EMPTY", " "), Fixture.plain))
        #expect(!matches(.header("X-MISSING", ""), Fixture.plain))
        #expect(matches(.not(.header("X-MISSING", "")), Fixture.plain))
        #expect(!matches(.header("CC", ""), Fixture.noDate))
    }

    @Test func unicodeCaseFolding() {
        // Subject is "ΣΟΦΟΣ"; the final sigma folds like any sigma.
        #expect(matches(.header("SUBJECT", "σοφος"), Fixture.decomposed))
        #expect(matches(.header("SUBJECT", "ΣΟΦΟΣ"), Fixture.decomposed))
        #expect(matches(.header("SUBJECT", "Σοφοσ"), Fixture.decomposed))
        // Lower-casing only: no full case folding of ß to ss.
        let street = Fixture.content("Subject: Straße 5\n\nx\n")
        #expect(matches(.header("SUBJECT", "STRAßE"), street))
        #expect(!matches(.header("SUBJECT", "STRASSE"), street))
    }

    // MARK: BODY and TEXT

    @Test func bodyOfAPlainMessage() {
        #expect(matches(.body("QUICK brown"), Fixture.plain))
        #expect(matches(.body("hello world, the"), Fixture.plain))
        #expect(!matches(.body("menu"), Fixture.plain))  // header only
        #expect(!matches(.body("jose@example.com"), Fixture.plain))
        #expect(matches(.body(""), Fixture.plain))
    }

    @Test func textIsHeaderAndBody() {
        #expect(matches(.text("menu"), Fixture.plain))
        #expect(matches(.text("café"), Fixture.plain))  // decoded header
        #expect(matches(.text("brown fox"), Fixture.plain))
        #expect(matches(.text("subject: café"), Fixture.plain))  // `Name: value` lines
        #expect(matches(.text("message-id"), Fixture.plain))
        #expect(!matches(.text("purple"), Fixture.plain))
        #expect(!matches(.text("menu hello"), Fixture.plain))  // no match across pieces
    }

    @Test func quotedPrintableLatin1Body() {
        #expect(matches(.body("crème brûlée"), Fixture.quotedPrintableLatin1))
        #expect(matches(.body("CRÈME BRÛLÉE"), Fixture.quotedPrintableLatin1))
        #expect(matches(.body("soft broken"), Fixture.quotedPrintableLatin1))  // soft line break removed
        #expect(!matches(.body("Cr=E8me"), Fixture.quotedPrintableLatin1))
        #expect(!matches(.body("creme"), Fixture.quotedPrintableLatin1))
    }

    @Test func base64Latin1Body() {
        #expect(matches(.body("déjà vu"), Fixture.base64Latin1))
        #expect(matches(.body("NAÏVE CAFÉ"), Fixture.base64Latin1))
        #expect(!matches(.body("ROlq4CB2"), Fixture.base64Latin1))
        #expect(matches(.text("déjà"), Fixture.base64Latin1))
    }

    @Test func multipartSearchesTextPartsOnly() {
        let m = Fixture.withAttachment
        #expect(matches(.body("attached report"), m))
        #expect(matches(.body("totals are <b>green"), m))  // HTML as written
        #expect(!matches(.body("secretword"), m))  // inside the PDF
        #expect(!matches(.body("JVBERi0x"), m))  // the PDF's base64
        #expect(!matches(.text("secretword"), m))
        #expect(!matches(.body("preamble"), m))
        #expect(!matches(.body("b1"), m))  // boundaries are not text
        // Encapsulated message: its header fields and text are in the outer body.
        #expect(matches(.body("inner subject"), m))
        #expect(matches(.body("nested TEXT"), m))
        #expect(matches(.body("inner@example"), m))
        #expect(!matches(.header("SUBJECT", "inner"), m))  // only the outer header
        #expect(matches(.header("SUBJECT", "monthly"), m))
    }

    @Test func textAlsoSearchesMIMEPartHeaders() {
        let m = Fixture.withAttachment
        #expect(matches(.text("report.pdf"), m))  // a folded Content-Disposition
        #expect(matches(.text("attachment; filename=\"report"), m))
        #expect(matches(.text("application/pdf"), m))
        #expect(matches(.text("résumé"), m))  // an encoded-word Content-Description
        #expect(!matches(.text("=?utf-8?q?R"), m))
        #expect(!matches(.body("report.pdf"), m))  // BODY is content only
        #expect(!matches(.text("report.pdf\" content-description"), m))  // fields stay apart
    }

    @Test func decomposedAccentsMatchPrecomposed() {
        let m = Fixture.decomposed  // body "Un cafe\u{301} noir."
        #expect(matches(.body("café noir"), m))  // NFC needle, NFD text
        #expect(matches(.body("CAFE\u{301}"), m))
        #expect(!matches(.body("cafe noir"), m))  // accents count
        #expect(!matches(.body("cafe"), m))  // not the first scalars of "café"
        #expect(!matches(.body("café"), Fixture.plain))
        #expect(matches(.header("SUBJECT", "cafe\u{301}"), Fixture.plain))  // NFD needle, NFC text
        #expect(!matches(.header("SUBJECT", "ject: cafe\u{301}"), Fixture.plain))  // the value only
        #expect(matches(.text("SUBJECT: CAFE\u{301}"), Fixture.plain))
    }

    @Test func contentKeysWithoutContentAreFalse() {
        #expect(!matches(.body("x"), nil))
        #expect(!matches(.text(""), nil))
        #expect(!matches(.header("SUBJECT", ""), nil))
        #expect(matches(.not(.body("x")), nil))
    }

    @Test func headerKeysNeedOnlyTheParse() {
        // The server may pass just the header bytes (or none) with the whole message's parse.
        let whole = Fixture.plain
        let headerOnly = SearchContent(raw: Array(whole.parse.header.slice(of: whole.raw)), parse: whole.parse)
        let none = SearchContent(raw: [], parse: whole.parse)
        for content in [headerOnly, none] {
            #expect(matches(.header("SUBJECT", "café"), content))
            #expect(matches(.sentOn(Self.date("1-Jan-2024")), content))
            #expect(!matches(.body("quick"), content))
        }
    }

    // MARK: Boolean structure

    @Test func notOrAnd() {
        let c = Self.candidate(flags: ["\\Seen"], size: 500)
        let m = Fixture.plain
        #expect(matches(.and([.flag(.seen), .larger(100), .header("SUBJECT", "café")]), m, c))
        #expect(!matches(.and([.flag(.seen), .larger(1000)]), m, c))
        #expect(matches(.and([]), m, c))
        #expect(matches(.or(.flag(.flagged), .body("quick")), m, c))
        #expect(!matches(.or(.flag(.flagged), .body("slow")), m, c))
        #expect(matches(.not(.or(.flag(.flagged), .body("slow"))), m, c))
        #expect(matches(.not(.not(.flag(.seen))), m, c))
        #expect(!matches(.not(.not(.not(.flag(.seen)))), m, c))
        // OR (NOT SEEN) (LARGER 400 SUBJECT café) BODY brown
        let nested = MessageQuery.and([
            .or(.noFlag(.seen), .and([.larger(400), .header("SUBJECT", "café")])), .body("brown"),
        ])
        #expect(matches(nested, m, c))
        #expect(!matches(nested, m, Self.candidate(flags: ["\\Seen"], size: 300)))
        #expect(matches(nested, m, Self.candidate(size: 300)))
        // A cheap test decides before missing content is read.
        #expect(matches(.or(.body("x"), .flag(.seen)), nil, c))
        #expect(!matches(.and([.body("quick"), .flag(.flagged)]), m, c))
    }

    @Test func deepNestingNeedsNoRecursion() {
        var key = MessageQuery.flag(.seen)
        for depth in 0..<5_000 {
            key = depth % 3 == 0 ? .not(key) : depth % 3 == 1 ? .or(.flag(.deleted), key) : .and([key, .all])
        }
        let c = Self.candidate(flags: ["\\Seen"])
        let expected = (0..<5_000).filter { $0 % 3 == 0 }.count % 2 == 0
        #expect(matches(key, nil, c) == expected)
        #expect(SearchEvaluator.contentNeeded(key) == .none)
    }

    // MARK: contentNeeded

    @Test(arguments: [
        (MessageQuery.all, SearchEvaluator.ContentNeed.none), (.flag(.seen), .none), (.noFlag(.draft), .none),
        (.before(searchDate("1-Jan-2024")), .none), (.on(searchDate("1-Jan-2024")), .none),
        (.since(searchDate("1-Jan-2024")), .none), (.larger(1), .none), (.smaller(1), .none), (.uid("1:3"), .none),
        (.modSeq(1), .none), (.sentBefore(searchDate("1-Jan-2024")), .header), (.sentOn(searchDate("1-Jan-2024")), .header),
        (.sentSince(searchDate("1-Jan-2024")), .header), (.header("FROM", "a"), .header), (.header("TO", ""), .header),
        (.header("X-SPAM", "yes"), .header), (.body("a"), .full), (.text("a"), .full),
        (.not(.header("CC", "a")), .header), (.or(.flag(.seen), .body("a")), .full),
        (.and([.flag(.seen), .header("BCC", "a"), .larger(5)]), .header), (.and([]), .none),
        (.not(.or(.all, .and([.flag(.seen), .not(.text("x"))]))), .full),
    ])
    func contentNeeded(key: MessageQuery, need: SearchEvaluator.ContentNeed) throws {
        #expect(SearchEvaluator.contentNeeded(key) == need)
        #expect(try Self.evaluator.prepare(key).contentNeed == need)
    }

    @Test func contentNeedOrders() {
        #expect(SearchEvaluator.ContentNeed.none < .header)
        #expect(SearchEvaluator.ContentNeed.header < .full)
    }

    // MARK: Many messages

    @Test func preparedSearchOverAMailbox() throws {
        let contents = [Fixture.plain, Fixture.quotedPrintableLatin1, Fixture.base64Latin1, Fixture.withAttachment]
        let evaluator = SearchEvaluator(largestUID: 40)
        let search = try evaluator.prepare(.or(.body("café"), .header("FROM", "chef")))
        #expect(search.contentNeed == .full)
        let hits = contents.enumerated().filter { index, content in
            search.matches(
                Self.candidate(uid: UInt32(10 * (index + 1))), content: content)
        }.map(\.offset)
        #expect(hits == [1, 2])  // chef's dessert, and "naïve café" in base64
    }
}

/// A date written as SEARCH takes it, `1-Jan-2024`, as the query's `2024-01-01`.
private func searchDate(_ text: String) -> String {
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let parts = text.split(separator: "-")
    guard parts.count == 3, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1])), let year = Int(parts[2])
    else { preconditionFailure("not a SEARCH date: \(text)") }
    func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
    return "\(pad(year, 4))-\(pad(month + 1, 2))-\(pad(day, 2))"
}

/// The old IMAP spellings of the keys, so the cases read as SEARCH commands do.
private struct TestFlag {
    let name: String
    init?(_ name: String) { self.name = name }
    static let seen = TestFlag("\\Seen")!, answered = TestFlag("\\Answered")!, flagged = TestFlag("\\Flagged")!
    static let deleted = TestFlag("\\Deleted")!, draft = TestFlag("\\Draft")!
}

extension MessageQuery {
    fileprivate static func flag(_ flag: TestFlag) -> MessageQuery { .flag(name: flag.name) }
    fileprivate static func noFlag(_ flag: TestFlag) -> MessageQuery { .noFlag(name: flag.name) }
    fileprivate static func before(_ day: String) -> MessageQuery { .arrival(DayComparison(.before, day: day)) }
    fileprivate static func on(_ day: String) -> MessageQuery { .arrival(DayComparison(.on, day: day)) }
    fileprivate static func since(_ day: String) -> MessageQuery { .arrival(DayComparison(.since, day: day)) }
    fileprivate static func sentBefore(_ day: String) -> MessageQuery { .sent(DayComparison(.before, day: day)) }
    fileprivate static func sentOn(_ day: String) -> MessageQuery { .sent(DayComparison(.on, day: day)) }
    fileprivate static func sentSince(_ day: String) -> MessageQuery { .sent(DayComparison(.since, day: day)) }
    fileprivate static func larger(_ size: UInt64) -> MessageQuery { .larger(size: size) }
    fileprivate static func smaller(_ size: UInt64) -> MessageQuery { .smaller(size: size) }
    fileprivate static func header(_ name: String, _ value: String) -> MessageQuery { .header(name: name, value: value) }
    fileprivate static func body(_ text: String) -> MessageQuery { .body(text: text) }
    fileprivate static func text(_ text: String) -> MessageQuery { .text(text: text) }
    fileprivate static func uid(_ set: String) -> MessageQuery { .uids(set: set) }
    fileprivate static func modSeq(_ value: UInt64) -> MessageQuery { .modSeq(atLeast: value) }
}
