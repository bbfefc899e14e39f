import IMAPProtocol
import TestSupport
import Testing

/// FETCH data items, sections, partials and modifiers. RFC 9051 §6.4.5, RFC 3516 §4, RFC 7162 §3.1.4, §3.2.6.
@Suite struct FetchAttributeParserTests {
    typealias A = FetchAttribute
    static let one: SequenceSet = .ranges([.init(1)])
    static let allUIDs: SequenceSet = .ranges([.init(.number(1), .largest)])

    static func fetch(_ set: SequenceSet, _ attributes: [A], changedSince: UInt64? = nil, vanished: Bool = false, uid: Bool = true)
        -> IMAPCommand.Kind
    {
        .fetch(set, attributes: attributes, modifiers: .init(changedSince: changedSince, vanished: vanished), uid: uid)
    }

    static func peek(_ part: [Int] = [], _ text: SectionSpec.Text? = nil, _ partial: A.Partial? = nil) -> A {
        .section(SectionSpec(part: part, text: text), partial: partial, peek: true)
    }

    static func body(_ part: [Int] = [], _ text: SectionSpec.Text? = nil, _ partial: A.Partial? = nil) -> A {
        .section(SectionSpec(part: part, text: text), partial: partial, peek: false)
    }

    /// What real clients send, and what the RFCs show.
    static let transcripts: [Transcript] = [
        // Thunderbird: new headers, the whole message, flag resync with CONDSTORE.
        .init(
            "8 UID fetch 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])",
            IMAPCommand(
                tag: "8",
                fetch(
                    allUIDs,
                    [
                        .uid, .rfc822Size, .flags,
                        peek(
                            [],
                            .headerFields([
                                "FROM", "TO", "CC", "BCC", "SUBJECT", "DATE", "MESSAGE-ID", "PRIORITY", "X-PRIORITY", "REFERENCES",
                                "NEWSGROUPS",
                                "IN-REPLY-TO", "CONTENT-TYPE", "REPLY-TO",
                            ])),
                    ]))),
        .init(
            "9 UID fetch 4 (UID RFC822.SIZE BODY[]<0.102400>)",
            IMAPCommand(tag: "9", fetch(.ranges([.init(4)]), [.uid, .rfc822Size, body([], nil, .init(offset: 0, length: 102_400))]))),
        .init("10 UID fetch 1:* (FLAGS) (CHANGEDSINCE 12345)", IMAPCommand(tag: "10", fetch(allUIDs, [.flags], changedSince: 12345))),
        // mbsync: its "infinity" UID, TUID headers, a whole message.
        .init("3 UID FETCH 1:1000000000 (UID FLAGS)", IMAPCommand(tag: "3", fetch(.ranges([.init(1...1_000_000_000)]), [.uid, .flags]))),
        .init(
            "4 UID FETCH 12:1000000000 (UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (X-TUID MESSAGE-ID)])",
            IMAPCommand(
                tag: "4",
                fetch(
                    .ranges([.init(12...1_000_000_000)]),
                    [.uid, .flags, .rfc822Size, .internalDate, peek([], .headerFields(["X-TUID", "MESSAGE-ID"]))]))),
        .init("5 UID FETCH 17 (BODY.PEEK[])", IMAPCommand(tag: "5", fetch(.ranges([.init(17)]), [peek()]))),
        // iOS Mail: lower-case field names, structure first, then a part's first bytes.
        .init(
            "11 UID FETCH 10:62 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (date subject from to cc message-id in-reply-to references content-type x-priority list-id)])",
            IMAPCommand(
                tag: "11",
                fetch(
                    .ranges([.init(10...62)]),
                    [
                        .uid, .flags, .internalDate, .rfc822Size,
                        peek(
                            [],
                            .headerFields([
                                "DATE", "SUBJECT", "FROM", "TO", "CC", "MESSAGE-ID", "IN-REPLY-TO", "REFERENCES", "CONTENT-TYPE",
                                "X-PRIORITY", "LIST-ID",
                            ])),
                    ]))),
        .init("12 UID FETCH 62 (BODYSTRUCTURE)", IMAPCommand(tag: "12", fetch(.ranges([.init(62)]), [.bodyStructure]))),
        .init(
            "13 UID FETCH 62 (BODY.PEEK[1.2]<0.10240>)",
            IMAPCommand(tag: "13", fetch(.ranges([.init(62)]), [peek([1, 2], nil, .init(offset: 0, length: 10240))]))),
        // imapclient (Python): plain lists and modifiers.
        .init(
            "JJAA4 UID FETCH 1,2 (FLAGS RFC822.SIZE)",
            IMAPCommand(tag: "JJAA4", fetch(.ranges([.init(1), .init(2)]), [.flags, .rfc822Size]))),
        .init(
            "JJAA5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5 VANISHED)",
            IMAPCommand(tag: "JJAA5", fetch(allUIDs, [.flags], changedSince: 5, vanished: true))),
        // RFC examples.
        .init(
            "A654 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])",  // RFC 9051 §6.4.5
            IMAPCommand(tag: "A654", fetch(.ranges([.init(2...4)]), [.flags, body([], .headerFields(["DATE", "FROM"]))], uid: false))),
        .init(
            "A283 FETCH $ (UID INTERNALDATE FLAGS RFC822.SIZE)",  // RFC 5182 §2.4
            IMAPCommand(tag: "A283", fetch(.lastCommand, [.uid, .internalDate, .flags, .rfc822Size], uid: false))),
        .init(
            "t101 FETCH 1 (BINARY[1.2]<0.1024> BINARY.SIZE[1.2])",  // RFC 3516
            IMAPCommand(
                tag: "t101",
                fetch(
                    one, [.binary(part: [1, 2], partial: .init(offset: 0, length: 1024), peek: false), .binarySize(part: [1, 2])],
                    uid: false))),
        .init(
            "s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)",  // RFC 7162 §3.2.6
            IMAPCommand(tag: "s100", fetch(.ranges([.init(300...500)]), [.flags], changedSince: 12345, vanished: true))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// (what follows `a1 FETCH 1 `, the attributes): every item, the macros, sections.
    static let items: [(String, [A])] = [
        ("ALL", [.flags, .internalDate, .rfc822Size, .envelope]), ("fast", [.flags, .internalDate, .rfc822Size]),
        ("Full", [.flags, .internalDate, .rfc822Size, .envelope, .body]),
        ("FLAGS", [.flags]), ("(FLAGS)", [.flags]), ("uid", [.uid]), ("MODSEQ", [.modSeq]),
        (
            "(ENVELOPE BODYSTRUCTURE BODY INTERNALDATE RFC822 RFC822.HEADER RFC822.TEXT RFC822.SIZE)",
            [.envelope, .bodyStructure, .body, .internalDate, .rfc822, .rfc822Header, .rfc822Text, .rfc822Size]
        ),
        ("(FLAGS FLAGS)", [.flags, .flags]),  // kept as sent
        ("BODY[]", [body()]), ("body.peek[]", [peek()]), ("BODY[TEXT]", [body([], .text)]), ("BODY[HEADER]", [body([], .header)]),
        ("BODY[1]", [body([1])]), ("BODY[1.2.3]", [body([1, 2, 3])]), ("BODY[1.MIME]", [body([1], .mime)]),
        ("BODY[2.HEADER]", [body([2], .header)]), ("BODY[3.1.TEXT]", [body([3, 1], .text)]),
        ("BODY.PEEK[4.HEADER.FIELDS.NOT (Received \"X-Spam\")]", [peek([4], .headerFieldsNot(["RECEIVED", "X-SPAM"]))]),
        ("BODY[header.fields (subject)]", [body([], .headerFields(["SUBJECT"]))]),
        ("BODY[HEADER.FIELDS (\"Weird Name\" ]x)]", [body([], .headerFields(["WEIRD NAME", "]X"]))]),
        ("BODY[]<0.1>", [body([], nil, .init(offset: 0, length: 1))]),
        ("BODY[TEXT]<100.4294967295>", [body([], .text, .init(offset: 100, length: UInt32.max))]),
        // number64 (RFC 9051 §9): past 32 bits is taken as 2^32-1, which no message reaches.
        ("BODY[]<5000000000.9223372036854775807>", [body([], nil, .init(offset: UInt32.max, length: UInt32.max))]),
        ("BINARY[]", [.binary(part: [], partial: nil, peek: false)]), ("BINARY.PEEK[2]", [.binary(part: [2], partial: nil, peek: true)]),
        ("BINARY.PEEK[1.2]<10.20>", [.binary(part: [1, 2], partial: .init(offset: 10, length: 20), peek: true)]),
        ("BINARY.SIZE[]", [.binarySize(part: [])]), ("binary.size[3.1]", [.binarySize(part: [3, 1])]),
    ]

    @Test(arguments: items) func parsesItems(_ arguments: String, _ attributes: [A]) {
        let command = IMAPCommand(tag: "a1", Self.fetch(Self.one, attributes, uid: false))
        #expect(parse("a1 FETCH 1 " + arguments) == .success(command))
        expectRoundTrip(command)
    }

    /// What follows `a1 UID FETCH 1 `: all `BAD`.
    static let refused: [String] = [
        "", "()", "(ALL)", "(FAST FLAGS)", "ALL FLAGS", "(FLAGS", "FLAGS)", "(FLAGS  UID)", "( FLAGS)", "(FLAGS )", "FLAGS UID",
        "X-GM-MSGID", "RFC822.PEEK", "BODY.PEEK", "BODYSTRUCTURE[]", "FLAGS[]", "ENVELOPE<0.1>", "(((FLAGS)))",
        // Sections: MIME only after a part, no part 0, a non-empty field list, exact spacing.
        "BODY[MIME]", "BODY[0]", "BODY[1.0]", "BODY[1.]", "BODY[.1]", "BODY[1..2]", "BODY[1.MIMEX]", "BODY[FOO]", "BODY[HEADER",
        "BODY[HEADER.FIELDS]", "BODY[HEADER.FIELDS ()]", "BODY[HEADER.FIELDS(SUBJECT)]", "BODY[HEADER.FIELDS  (SUBJECT)]",
        "BODY[HEADER.FIELDS (SUBJECT )]", "BODY[HEADER.FIELDS SUBJECT]", "BODY[HEADER.NOT (A)]", "BODY[TEXT.MIME]", "BODY [1]",
        "BODY[4294967296]",
        // Partials: "<" number64 "." nz-number64 ">" (RFC 9051 §9).
        "BODY[]<1.0>", "BODY[]<5>", "BODY[]<1.2", "BODY[]<.2>", "BODY[]<1.>", "BODY[]<-1.2>", "BODY[]<1.9223372036854775808>",
        "BODY[]<0.1><0.1>", "BODY<0.1>", "BINARY.SIZE[1]<0.1>",
        "BINARY[HEADER]", "BINARY[1.MIME]", "BINARY", "BINARY.SIZE", "BINARY.PEEK[1.TEXT]",
        // Modifiers: RFC 4466 §2.4, RFC 7162 §3.1.4.1, §3.2.6.
        "FLAGS ()", "FLAGS (FOO)", "FLAGS (CHANGEDSINCE)", "FLAGS (CHANGEDSINCE x)", "FLAGS (CHANGEDSINCE 1 CHANGEDSINCE 2)",
        "FLAGS (CHANGEDSINCE 9223372036854775808)", "FLAGS CHANGEDSINCE 1", "FLAGS (CHANGEDSINCE 1", "FLAGS  (CHANGEDSINCE 1)",
        "FLAGS (VANISHED)", "FLAGS (VANISHED VANISHED CHANGEDSINCE 1)", "FLAGS (CHANGEDSINCE 1) (VANISHED)",
    ]

    @Test(arguments: refused) func refuses(_ arguments: String) {
        #expect(errorKind("a1 UID FETCH 1 " + arguments) == .badArguments)
    }

    /// VANISHED needs CHANGEDSINCE and UID FETCH. RFC 7162 §3.2.6
    @Test func vanishedOnlyWithChangedSinceInUIDFetch() {
        #expect(errorKind("a1 UID FETCH 1:* (FLAGS) (VANISHED)") == .badArguments)
        #expect(errorKind("a1 FETCH 1:* (FLAGS) (CHANGEDSINCE 5 VANISHED)") == .badArguments)
        #expect(errorKind("a1 UID FETCH 1:* (FLAGS) (VANISHED CHANGEDSINCE 5)") == nil)
        #expect(errorKind("a1 FETCH 1:* (FLAGS) (CHANGEDSINCE 0)") == nil)
    }

    @Test func fieldNamesMayBeLiterals() {
        let wire = bytes("a1 FETCH 1 BODY.PEEK[HEADER.FIELDS ({7+}\r\nSubject \"X-Ü\")]<0.10>\r\n")
        let command = IMAPCommand(
            tag: "a1", Self.fetch(Self.one, [Self.peek([], .headerFields(["SUBJECT", "X-Ü"]), .init(offset: 0, length: 10))], uid: false))
        for size in chunkSizes { #expect(parseStream(wire, chunk: size) == [.success(command)], "chunk \(size)") }
        // A field name that is not UTF-8 is refused.
        #expect(parseWire(bytes("a1 FETCH 1 BODY[HEADER.FIELDS ({1}\r\n") + [0xFF] + bytes(")]\r\n")).map(\.failureKind) == .badArguments)
    }

    @Test func encodesAsClientsDo() {
        expectRoundTrip(IMAPCommand(tag: "a1", Self.fetch(Self.one, [.flags], uid: false)), encodesTo: "a1 FETCH 1 FLAGS")
        expectRoundTrip(
            IMAPCommand(
                tag: "a2",
                Self.fetch(
                    Self.allUIDs, [.uid, Self.peek([1], .headerFieldsNot(["A B", "C"]), .init(offset: 5, length: 6))], changedSince: 7,
                    vanished: true)),
            encodesTo: "a2 UID FETCH 1:* (UID BODY.PEEK[1.HEADER.FIELDS.NOT (\"A B\" C)]<5.6>) (CHANGEDSINCE 7 VANISHED)")
        #expect(text(SectionSpec(part: [2, 1], text: .mime).encoded()) == "[2.1.MIME]")
        #expect(text(FetchAttribute.binarySize(part: []).encoded()) == "BINARY.SIZE[]")
    }

    @Test func whichItemsSetSeen() {
        let setting: [A] = [.rfc822, .rfc822Text, Self.body(), .binary(part: [1], partial: nil, peek: false)]
        let keeping: [A] = [
            .rfc822Header, .flags, .body, .bodyStructure, Self.peek(), .binary(part: [], partial: nil, peek: true), .binarySize(part: []),
        ]
        #expect(setting.map(\.setsSeen) == Array(repeating: true, count: setting.count))
        #expect(keeping.map(\.setsSeen) == Array(repeating: false, count: keeping.count))
    }
}

extension Result where Failure == IMAPSyntaxError {
    /// The error kind of a failed parse, nil on success.
    var failureKind: IMAPSyntaxError.Kind? {
        if case .failure(let error) = self { return error.kind }
        return nil
    }
}
