import IMAPProtocol
import TestSupport
import Testing

/// SORT and THREAD commands (RFC 5256 §3, §5), DISPLAYFROM/DISPLAYTO (RFC 5957 §5), ESORT's
/// RETURN and PARTIAL (RFC 5267 §3.2, §4.4, §5).
@Suite struct SortParserTests {
    static func sort(
        _ criteria: [SortCriterion], _ key: SearchKey, charset: String = "UTF-8", returning: [SortReturnOption]? = nil, uid: Bool = false
    ) -> IMAPCommand.Kind {
        .sort(SortProgram(criteria: criteria, charset: charset, returnOptions: returning, key: key), uid: uid)
    }

    static let transcripts: [Transcript] = [
        // RFC 5256 §3 examples.
        .init(
            "A282 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994",
            IMAPCommand(tag: "A282", sort([.init(.subject)], .since(IMAPDate(year: 1994, month: 2, day: 1)!)))),
        .init(
            "A283 SORT (SUBJECT REVERSE DATE) UTF-8 ALL",
            IMAPCommand(tag: "A283", sort([.init(.subject), .init(.date, reverse: true)], .all))),
        .init(
            "A284 SORT (SUBJECT) US-ASCII TEXT \"not in mailbox\"",
            IMAPCommand(tag: "A284", sort([.init(.subject)], .text("not in mailbox"), charset: "US-ASCII"))),
        // RFC 5957 §4.
        .init(
            "a UID SORT (DISPLAYFROM REVERSE DISPLAYTO) utf-8 UNSEEN",
            IMAPCommand(tag: "a", sort([.init(.displayFrom), .init(.displayTo, reverse: true)], .noFlag(.seen), uid: true))),
        // RFC 5267 §3.2 and §4.4.
        .init(
            "A283 SORT RETURN (COUNT MIN MAX ALL) (DATE) UTF-8 UNDELETED UNKEYWORD $Junk",
            IMAPCommand(
                tag: "A283",
                sort([.init(.date)], .and([.noFlag(.deleted), .noFlag(Flag("$Junk")!)]), returning: [.count, .min, .max, .all]))),
        .init(
            "B01 UID SORT RETURN (PARTIAL 23500:24000) (REVERSE DATE) UTF-8 UNDELETED",
            IMAPCommand(
                tag: "B01", sort([.init(.date, reverse: true)], .noFlag(.deleted), returning: [.partial(23500...24000)], uid: true))),
        .init("c SORT RETURN () (ARRIVAL) UTF-8 ALL", IMAPCommand(tag: "c", sort([.init(.arrival)], .all, returning: []))),
        // Every key (imapclient sends criteria upper-cased, one or several).
        .init(
            "d UID SORT (ARRIVAL CC DATE FROM SIZE SUBJECT TO) UTF-8 ALL",
            IMAPCommand(
                tag: "d",
                sort([.init(.arrival), .init(.cc), .init(.date), .init(.from), .init(.size), .init(.subject), .init(.to)], .all, uid: true))
        ),
    ]

    @Test(arguments: transcripts) func parsesSort(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    static let threads: [Transcript] = [
        // RFC 5256 §3.
        .init(
            "A283 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000",
            IMAPCommand(
                tag: "A283",
                .thread(ThreadProgram(algorithm: .orderedSubject, key: .since(IMAPDate(year: 2000, month: 3, day: 5)!)), uid: false))),
        .init(
            "A284 THREAD ORDEREDSUBJECT US-ASCII TEXT \"gewp\"",
            IMAPCommand(
                tag: "A284", .thread(ThreadProgram(algorithm: .orderedSubject, charset: "US-ASCII", key: .text("gewp")), uid: false))),
        .init(
            "a UID THREAD references utf-8 UNDELETED SEEN",
            IMAPCommand(
                tag: "a", .thread(ThreadProgram(algorithm: .references, key: .and([.noFlag(.deleted), .flag(.seen)])), uid: true))),
    ]

    @Test(arguments: threads) func parsesThread(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// All `BAD`.
    static let refused: [String] = [
        "SORT", "SORT ", "SORT (DATE)", "SORT (DATE) UTF-8", "SORT (DATE) UTF-8 ", "SORT DATE UTF-8 ALL", "SORT () UTF-8 ALL",
        "SORT (FOO) UTF-8 ALL", "SORT (REVERSE) UTF-8 ALL", "SORT (REVERSE REVERSE DATE) UTF-8 ALL", "SORT (DATE ) UTF-8 ALL",
        "SORT RETURN (SAVE) (DATE) UTF-8 ALL", "SORT RETURN (PARTIAL) (DATE) UTF-8 ALL",
        "SORT RETURN (PARTIAL 0:5) (DATE) UTF-8 ALL", "SORT RETURN (PARTIAL 5) (DATE) UTF-8 ALL", "SORT RETURN (MIN) UTF-8 ALL",
        "THREAD", "THREAD REFERENCES", "THREAD REFERENCES UTF-8", "THREAD FOO UTF-8 ALL",
        "THREAD (REFERENCES) UTF-8 ALL", "UID SORT (DATE) UTF-8", "UID THREAD REFERENCES UTF-8 FOO",
    ]

    @Test(arguments: refused) func refuses(_ line: String) {
        #expect(errorKind("a1 " + line) == .badArguments, "\(line)")
    }

    /// RFC 5256 §3: a charset the server does not take is `NO [BADCHARSET]`.
    @Test func badCharset() {
        for line in ["a1 SORT (DATE) ISO-8859-1 ALL", "a1 THREAD REFERENCES KOI8-R ALL", "a1 UID SORT (DATE) \"UTF-16\" ALL"] {
            guard case .failure(let error) = parse(line) else {
                Issue.record("parsed \(line)")
                continue
            }
            #expect(error.kind == .badCharset)
            #expect(error.tag == "a1")
        }
    }

    /// PARTIAL written high:low is the same range (RFC 9394 §3.1 reads it so).
    @Test func partialRangeOrder() {
        #expect(parse("a SORT RETURN (PARTIAL 9:3) (DATE) UTF-8 ALL") == parse("a SORT RETURN (PARTIAL 3:9) (DATE) UTF-8 ALL"))
    }

    /// Every chunking of a SORT with a literal gives the same command.
    @Test func literalsInChunks() {
        let expected = IMAPCommand(tag: "a1", Self.sort([.init(.from)], .header("SUBJECT", "Отп"), uid: true))
        let wire = bytes("a1 UID SORT (FROM) UTF-8 SUBJECT {6}\r\nОтп\r\n")
        for size in chunkSizes { #expect(parseStream(wire, chunk: size) == [.success(expected)], "chunk \(size)") }
    }
}

/// `* SORT` and `* THREAD` (RFC 5256 §4, §5), ESEARCH for ESORT (RFC 5267 §3.2, §4.4).
@Suite struct SortResponseTests {
    @Test func sort() {
        #expect(ResponseFixture.wire(.sort([2, 84, 882], modSeq: nil)) == "* SORT 2 84 882\r\n")  // RFC 5256 §4
        #expect(ResponseFixture.wire(.sort([], modSeq: nil)) == "* SORT\r\n")
        #expect(ResponseFixture.wire(.sort([5, 3], modSeq: 917)) == "* SORT 5 3 (MODSEQ 917)\r\n")  // RFC 7162 §3.1.5
        #expect(ResponseFixture.wire(.sort([], modSeq: 917)) == "* SORT\r\n")
    }

    @Test func thread() {
        typealias T = ThreadTree
        // RFC 5256 §4: (2)(3 6 (4 23)(44 7 96))
        let example = [
            T(2),
            T(3, [T(6, [T(4, [T(23)]), T(44, [T(7, [T(96)])])])]),
        ]
        #expect(ResponseFixture.wire(.thread(example)) == "* THREAD (2)(3 6 (4 23)(44 7 96))\r\n")
        // RFC 5256 §4: a missing parent with two replies: ((3)(5)).
        #expect(ResponseFixture.wire(.thread([T(nil, [T(3), T(5)])])) == "* THREAD ((3)(5))\r\n")
        #expect(ResponseFixture.wire(.thread([T(nil, [T(3, [T(4)]), T(5)])])) == "* THREAD ((3 4)(5))\r\n")
        #expect(ResponseFixture.wire(.thread([])) == "* THREAD\r\n")
        #expect(ResponseFixture.wire(.thread([T(1, [T(2), T(3)])])) == "* THREAD (1 (2)(3))\r\n")
    }

    @Test func esort() {
        var answer = ESearch(tag: "A283", uid: false, min: 9, max: 2, count: 4, all: [9, 10, 11, 3, 2], allInOrder: true)
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "A283") MIN 9 MAX 2 COUNT 4 ALL 9:11,3,2\#r\#n"#)
        answer = ESearch(tag: "B01", uid: true)
        answer.partial = (23500...24000, [67, 68, 69, 12, 13])
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "B01") UID PARTIAL (23500:24000 67:69,12:13)\#r\#n"#)
        answer.partial = (5...9, [])
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "B01") UID PARTIAL (5:9 NIL)\#r\#n"#)
    }
}
