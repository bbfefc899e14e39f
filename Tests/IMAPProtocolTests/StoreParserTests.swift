import IMAPProtocol
import Testing

/// STORE: the flag change and UNCHANGEDSINCE. RFC 9051 §6.4.6, RFC 7162 §3.1.3.
@Suite struct StoreParserTests {
    typealias S = StoreArguments

    static func store(_ set: String, _ arguments: S, uid: Bool = true) -> IMAPCommand.Kind {
        .store(IMAPProtocolTests.set(set), arguments, uid: uid)
    }

    static let transcripts: [Transcript] = [
        // Thunderbird writes "+Flags".
        .init("17 UID store 4 +Flags (\\Seen)", IMAPCommand(tag: "17", store("4", S(operation: .add, flags: [.seen])))),
        .init(
            "18 UID store 4,7:9 -Flags (\\Deleted $Junk)",
            IMAPCommand(tag: "18", store("4,7:9", S(operation: .remove, flags: [.deleted, Flag("$Junk")!])))),
        // mbsync.
        .init(
            "7 UID STORE 17 +FLAGS.SILENT (\\Deleted)",
            IMAPCommand(tag: "7", store("17", S(operation: .add, silent: true, flags: [.deleted])))),
        // imapclient (Python): set_flags with an empty list.
        .init("JJAA9 UID STORE 1 FLAGS ()", IMAPCommand(tag: "JJAA9", store("1", S(operation: .replace, flags: [])))),
        // RFC examples.
        .init(
            // RFC 9051 §6.4.6
            "A003 STORE 2:4 +FLAGS (\\Deleted)", IMAPCommand(tag: "A003", store("2:4", S(operation: .add, flags: [.deleted]), uid: false))),
        .init(
            "a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)",  // RFC 7162 §3.1.3
            IMAPCommand(tag: "a103", store("6,4,8", S(operation: .add, silent: true, flags: [.deleted], unchangedSince: 12_121_230_045)))),
        .init(
            // RFC 5182
            "A1 UID STORE $ +FLAGS.SILENT (\\Seen)", IMAPCommand(tag: "A1", store("$", S(operation: .add, silent: true, flags: [.seen])))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// (what follows `a1 STORE 1 `, the arguments).
    static let fixtures: [(String, S)] = [
        ("FLAGS (\\Seen)", S(operation: .replace, flags: [.seen])), ("flags.silent ()", S(operation: .replace, silent: true, flags: [])),
        ("+FLAGS \\Seen", S(operation: .add, flags: [.seen])),
        ("-FLAGS.SILENT \\Deleted $Junk work", S(operation: .remove, silent: true, flags: [.deleted, Flag("$Junk")!, Flag("work")!])),
        ("+FLAGS (\\seen \\FLAGGED)", S(operation: .add, flags: [.seen, .flagged])),
        ("FLAGS \\Custom", S(operation: .replace, flags: [Flag("\\Custom")!])),
        ("(UNCHANGEDSINCE 0) FLAGS ()", S(operation: .replace, flags: [], unchangedSince: 0)),
        ("(unchangedsince 9223372036854775807) -FLAGS \\Draft", S(operation: .remove, flags: [.draft], unchangedSince: UInt64(Int64.max))),
    ]

    @Test(arguments: fixtures) func parses(_ arguments: String, _ expected: S) {
        let command = IMAPCommand(tag: "a1", Self.store("1", expected, uid: false))
        #expect(parse("a1 STORE 1 " + arguments) == .success(command))
        expectRoundTrip(command)
    }

    static let refused: [String] = [
        "", "FLAGS", "FLAGS ", "+FLAGS", "*FLAGS (\\Seen)", "FLAGS.LOUD (\\Seen)", "+-FLAGS (\\Seen)", "+ FLAGS (\\Seen)", "FLAG (\\Seen)",
        "+FLAGS (\\Seen", "+FLAGS \\Seen)", "FLAGS (\\Seen) x", "FLAGS \\Seen  \\Deleted", "FLAGS \\Seen ", "FLAGS (\\*)", "FLAGS \\",
        "FLAGS ((\\Seen))", "FLAGS \"\\Seen\"", "(UNCHANGEDSINCE) FLAGS ()", "(UNCHANGEDSINCE x) FLAGS ()",
        "(UNCHANGEDSINCE 1 UNCHANGEDSINCE 2) FLAGS ()", "(FOO 1) FLAGS ()", "() FLAGS ()", "(UNCHANGEDSINCE 1)FLAGS ()",
        "(UNCHANGEDSINCE 9223372036854775808) FLAGS ()", "FLAGS () (UNCHANGEDSINCE 1)", "UNCHANGEDSINCE 1 FLAGS ()",
    ]

    @Test(arguments: refused) func refuses(_ arguments: String) {
        #expect(errorKind("a1 STORE 1 " + arguments) == .badArguments)
    }

    @Test func encodesWithAFlagList() {
        expectRoundTrip(
            IMAPCommand(
                tag: "a1", Self.store("1:*", S(operation: .add, silent: true, flags: [.seen, Flag("$Forwarded")!], unchangedSince: 5))),
            encodesTo: "a1 UID STORE 1:* (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Seen $Forwarded)")
        expectRoundTrip(
            IMAPCommand(tag: "a2", Self.store("2", S(operation: .replace, flags: []), uid: false)), encodesTo: "a2 STORE 2 FLAGS ()")
    }
}
