import IMAPProtocol
import TestSupport
import Testing

/// SEARCH programs: every key, nesting, RETURN, CHARSET, strings. RFC 9051 §6.4.4, RFC 3501
/// §6.4.4, RFC 4731, RFC 5182, RFC 7162 §3.1.5.
@Suite struct SearchParserTests {
    typealias K = SearchKey

    static func date(_ day: Int, _ month: Int, _ year: Int) -> IMAPDate { IMAPDate(year: year, month: month, day: day)! }
    static func search(_ key: K, charset: String? = nil, returning: [SearchReturnOption]? = nil, uid: Bool = true) -> IMAPCommand.Kind {
        .search(SearchProgram(charset: charset, returnOptions: returning, key: key), uid: uid)
    }

    static let smith: K = .and([.flag(.flagged), .since(date(1, 2, 1994)), .not(.header("FROM", "Smith"))])

    static let transcripts: [Transcript] = [
        // Thunderbird: quick filter, and a filter with a non-ASCII term.
        .init(
            "14 UID SEARCH UNDELETED SUBJECT \"quarterly report\"",
            IMAPCommand(tag: "14", search(.and([.noFlag(.deleted), .header("SUBJECT", "quarterly report")])))),
        .init(
            "15 UID SEARCH OR (FROM \"alice\") (OR (TO \"alice\") (CC \"alice\"))",
            IMAPCommand(tag: "15", search(.or(.header("FROM", "alice"), .or(.header("TO", "alice"), .header("CC", "alice")))))),
        // mbsync: finding its own message again by TUID.
        .init("6 UID SEARCH HEADER X-TUID ab12cd34ef56", IMAPCommand(tag: "6", search(.header("X-TUID", "ab12cd34ef56")))),
        // iOS Mail.
        .init(
            "16 UID SEARCH 1:* NOT DELETED",
            IMAPCommand(tag: "16", search(.and([.sequence(.ranges([.init(.number(1), .largest)])), .not(.flag(.deleted))])))),
        // imapclient (Python): criteria lists, CHARSET as given.
        .init(
            "JJAA6 UID SEARCH SINCE 01-Feb-2024 NOT DELETED",
            IMAPCommand(tag: "JJAA6", search(.and([.since(date(1, 2, 2024)), .not(.flag(.deleted))])))),
        .init("JJAA7 UID SEARCH CHARSET utf-8 TEXT foo", IMAPCommand(tag: "JJAA7", search(.text("foo"), charset: "UTF-8"))),
        .init("JJAA8 UID SEARCH RETURN (COUNT) UNSEEN", IMAPCommand(tag: "JJAA8", search(.noFlag(.seen), returning: [.count]))),
        // RFC examples.
        // RFC 9051 §6.4.4
        .init("A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", IMAPCommand(tag: "A282", search(smith, uid: false))),
        .init(
            "A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",  // RFC 4731 §3.1
            IMAPCommand(tag: "A282", search(smith, returning: [.min, .count], uid: false))),
        .init(
            "A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
            IMAPCommand(tag: "A283", search(smith, returning: [], uid: false))),
        .init(
            "A300 SEARCH RETURN (SAVE MIN) FROM \"Smith\"",
            IMAPCommand(tag: "A300", search(.header("FROM", "Smith"), returning: [.save, .min], uid: false))),  // RFC 5182
        // RFC 7162 §3.1.5
        .init("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338", IMAPCommand(tag: "a", search(.modSeq(620_162_338), uid: false))),
        .init(
            "t UID SEARCH OR ($ 1,3000:3021) UID $",
            IMAPCommand(
                tag: "t",
                search(.or(.and([.sequence(.lastCommand), .sequence(.ranges([.init(1), .init(3000...3021)]))]), .uid(.lastCommand))))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// (what follows `a1 SEARCH `, the key): every key of RFC 9051 / RFC 3501 §6.4.4.
    static let keys: [(String, K)] = [
        ("ALL", .all), ("all", .all),
        ("ANSWERED", .flag(.answered)), ("DELETED", .flag(.deleted)), ("DRAFT", .flag(.draft)), ("FLAGGED", .flag(.flagged)),
        ("SEEN", .flag(.seen)),
        ("UNANSWERED", .noFlag(.answered)), ("UNDELETED", .noFlag(.deleted)), ("UNDRAFT", .noFlag(.draft)),
        ("UNFLAGGED", .noFlag(.flagged)),
        ("unseen", .noFlag(.seen)), ("NEW", .new), ("OLD", .old), ("RECENT", .recent),
        ("KEYWORD $Junk", .flag(Flag("$Junk")!)), ("UNKEYWORD work", .noFlag(Flag("work")!)), ("keyword seen", .flag(Flag("seen")!)),
        ("FROM alice", .header("FROM", "alice")), ("TO \"Bob B\"", .header("TO", "Bob B")), ("CC c", .header("CC", "c")),
        ("BCC d", .header("BCC", "d")), ("SUBJECT \"\"", .header("SUBJECT", "")),
        ("HEADER Message-ID <abc@x>", .header("MESSAGE-ID", "<abc@x>")), ("HEADER \"from\" x", .header("FROM", "x")),
        ("BODY \"a \\\"b\\\" c\"", .body("a \"b\" c")), ("TEXT \"café\"", .text("café")),
        ("BEFORE 1-Feb-1994", .before(date(1, 2, 1994))), ("ON \"29-Feb-2000\"", .on(date(29, 2, 2000))),
        ("SINCE 31-dec-1999", .since(date(31, 12, 1999))),
        ("SENTBEFORE 1-Jan-2024", .sentBefore(date(1, 1, 2024))), ("SENTON 2-Jan-2024", .sentOn(date(2, 1, 2024))),
        ("SENTSINCE 3-Jan-2024", .sentSince(date(3, 1, 2024))),
        ("LARGER 0", .larger(0)), ("SMALLER 9223372036854775807", .smaller(UInt64(Int64.max))),
        ("1:5,7", .sequence(.ranges([.init(1...5), .init(7)]))), ("*", .sequence(.ranges([.init(.largest, .largest)]))),
        ("$", .sequence(.lastCommand)),
        ("UID 3:*", .uid(.ranges([.init(.number(3), .largest)]))), ("UID $", .uid(.lastCommand)),
        ("MODSEQ 0", .modSeq(0)), ("MODSEQ \"/flags/$Junk\" PRIV 5", .modSeq(5)), ("MODSEQ \"/flags/\\\\seen\" shared 5", .modSeq(5)),
        ("NOT SEEN", .not(.flag(.seen))), ("NOT NOT SEEN", .not(.not(.flag(.seen)))),
        ("OR SEEN FLAGGED", .or(.flag(.seen), .flag(.flagged))),
        ("OR OR FROM a FROM b FROM c", .or(.or(.header("FROM", "a"), .header("FROM", "b")), .header("FROM", "c"))),
        ("(SEEN)", .flag(.seen)), ("((SEEN))", .flag(.seen)), ("(SEEN FLAGGED)", .and([.flag(.seen), .flag(.flagged)])),
        ("SEEN (FLAGGED DRAFT)", .and([.flag(.seen), .and([.flag(.flagged), .flag(.draft)])])),
        ("NOT (SEEN 1:3)", .not(.and([.flag(.seen), .sequence(.ranges([.init(1...3)]))]))),
        ("OR (SEEN) (NOT DELETED)", .or(.flag(.seen), .not(.flag(.deleted)))),
    ]

    @Test(arguments: keys) func parsesKeys(_ arguments: String, _ key: K) {
        let command = IMAPCommand(tag: "a1", Self.search(key, uid: false))
        #expect(parse("a1 SEARCH " + arguments) == .success(command))
        expectRoundTrip(command)
    }

    /// What follows `a1 SEARCH `: all `BAD`.
    static let refused: [String] = [
        "", " ALL", "ALL ", "ALL  SEEN", "FOO", "SEEN FOO", "()", "(SEEN", "SEEN)", "( SEEN)", "(SEEN )", "NOT", "NOT ", "OR SEEN",
        "OR SEEN ",
        "KEYWORD", "KEYWORD \\Seen", "KEYWORD \"x\"", "FROM", "FROM ", "HEADER Subject", "HEADER (x) y", "BODY (x)",
        "BEFORE 31-Feb-2024", "SINCE 1-Feb-94", "ON 1 Feb 2024", "LARGER x", "LARGER -1", "LARGER 9223372036854775808", "SMALLER",
        "UID", "UID x", "UID 0", "0", "1:0", "1,", "MODSEQ", "MODSEQ x", "MODSEQ \"/x\" all 1", "MODSEQ \"/flags/\\\\seen\" foo 1",
        "MODSEQ \"/flags/\\\\seen\" 1", "RETURN (MIN) ALL x(", "RETURN", "RETURN ALL", "RETURN (MIN)", "RETURN (MIN) ", "RETURN (FOO) ALL",
        "RETURN (MIN ) ALL", "RETURN(MIN) ALL", "RETURN (MIN) RETURN (MAX) ALL", "ALL RETURN (MIN)", "CHARSET", "CHARSET UTF-8",
        "CHARSET UTF-8 ", "CHARSET UTF-8 CHARSET UTF-8 ALL", "ALL CHARSET UTF-8", "CHARSET (UTF-8) ALL", "SUBJECT \"a",
        "SUBJECT a\"b\"", "NEW OLD RECENT \"x\"",
        "TEXT café",  // 8-bit octets are no ATOM-CHAR: such a string must be quoted or a literal. RFC 9051 §9
    ]

    @Test(arguments: refused) func refuses(_ arguments: String) {
        #expect(errorKind("a1 SEARCH " + arguments) == .badArguments)
    }

    /// CHARSET: UTF-8 and US-ASCII in any case, atom or quoted; anything else is
    /// `.badCharset`, answered `NO [BADCHARSET (UTF-8 US-ASCII)]`. RFC 9051 §6.4.4
    @Test func charsets() {
        #expect(
            parse("a1 SEARCH CHARSET us-ascii ALL") == .success(IMAPCommand(tag: "a1", Self.search(.all, charset: "US-ASCII", uid: false))))
        #expect(
            parse("a1 SEARCH CHARSET \"Utf-8\" ALL") == .success(IMAPCommand(tag: "a1", Self.search(.all, charset: "UTF-8", uid: false))))
        for charset in ["ISO-8859-1", "\"KOI8-R\"", "UTF8", "utf-16", "\"\"", "X"] {
            guard case .failure(let error) = parse("a7 UID SEARCH CHARSET \(charset) SUBJECT x") else {
                Issue.record("parsed CHARSET \(charset)")
                continue
            }
            #expect(error.kind == .badCharset, "\(charset)")
            #expect(error.tag == "a7")
        }
        #expect(SearchProgram.supportedCharsets == ["UTF-8", "US-ASCII"])
    }

    /// Strings may be literals, decoded as UTF-8; bytes that are not UTF-8 are `BAD`.
    @Test func literalStrings() {
        let expected = IMAPCommand(tag: "a1", Self.search(.or(.header("SUBJECT", "Отп"), .body("a\r\nb")), charset: "UTF-8"))
        let good = bytes("a1 UID SEARCH CHARSET UTF-8 OR SUBJECT {6}\r\nОтп BODY {4+}\r\na\r\nb\r\n")
        for size in chunkSizes { #expect(parseStream(good, chunk: size) == [.success(expected)], "chunk \(size)") }
        #expect(parseWire(bytes("a1 SEARCH TEXT {2}\r\n") + [0xC3, 0x28] + bytes("\r\n")).map(\.failureKind) == .badArguments)
        // "Отп" cut after 5 of its 6 octets.
        #expect(
            parseWire(bytes("a1 SEARCH TEXT {5}\r\n") + Array("Отп".utf8).prefix(5) + bytes("\r\n")).map(\.failureKind) == .badArguments)
        #expect(parseWire(bytes("a1 SEARCH TEXT \"") + [0xE9] + bytes("\"\r\n")).map(\.failureKind) == .badArguments)
        #expect(parseWire(bytes("a1 SEARCH TEXT ~{1}\r\nx\r\n")).map(\.failureKind) == .badArguments)  // no literal8 here
    }

    /// Nesting is bounded: parentheses by `maxDepth`, NOT/OR/parentheses together by
    /// `maxSearchKeyDepth`; neither overflows the stack.
    @Test func deepNesting() {
        let limit = IMAPDefaults.searchKeyDepth
        #expect(errorKind("a1 SEARCH " + String(repeating: "NOT ", count: limit - 1) + "ALL") == nil)
        #expect(errorKind("a1 SEARCH " + String(repeating: "NOT ", count: limit) + "ALL") == .tooDeep)
        #expect(errorKind("a1 SEARCH " + String(repeating: "NOT ", count: 100_000) + "ALL") == .tooDeep)
        #expect(errorKind("a1 SEARCH " + String(repeating: "OR ", count: 100_000)) == .tooDeep)
        // An OR chain a filter with 60 alternatives builds.
        let chain = "a1 SEARCH " + String(repeating: "OR ", count: 59) + (1...60).map { "FROM u\($0)" }.joined(separator: " ")
        #expect(errorKind(chain) == nil)
        #expect(errorKind("a1 SEARCH " + String(repeating: "(", count: 32) + "ALL" + String(repeating: ")", count: 32)) == nil)
        #expect(errorKind("a1 SEARCH " + String(repeating: "(", count: 33) + "ALL" + String(repeating: ")", count: 33)) == .tooDeep)
        #expect(errorKind("a1 SEARCH " + String(repeating: "(NOT ", count: 10_000)) == .tooDeep)
        let strict = IMAPCommandParser(maxDepth: 2, maxSearchKeyDepth: 3)
        #expect(strict.parse("a1 SEARCH NOT NOT ALL").failureKind == nil)
        #expect(strict.parse("a1 SEARCH NOT NOT NOT ALL").failureKind == .tooDeep)
        #expect(strict.parse("a1 SEARCH (((ALL)))").failureKind == .tooDeep)
    }

    @Test func encodesAsClientsDo() {
        expectRoundTrip(
            IMAPCommand(tag: "a1", Self.search(Self.smith, uid: false)), encodesTo: "a1 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM Smith")
        expectRoundTrip(
            IMAPCommand(
                tag: "a2",
                Self.search(
                    .or(.and([.flag(Flag("$Junk")!), .noFlag(.seen)]), .header("X-SPAM", "yes please")), charset: "UTF-8",
                    returning: [.min, .save])),
            encodesTo: "a2 UID SEARCH RETURN (MIN SAVE) CHARSET UTF-8 OR (KEYWORD $Junk UNSEEN) HEADER X-SPAM \"yes please\"")
        expectRoundTrip(
            IMAPCommand(tag: "a3", Self.search(.header("SUBJECT", "line\r\nbreak"))),
            encodesTo: "a3 UID SEARCH SUBJECT {11}\r\nline\r\nbreak")
        // Values no parse gives still encode to something sensible.
        #expect(text(SearchKey.and([]).encoded()) == "ALL")
        #expect(text(SearchKey.and([.new]).encoded()) == "NEW")
    }
}
