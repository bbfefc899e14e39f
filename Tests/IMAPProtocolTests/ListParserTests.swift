import IMAPProtocol
import Testing

/// LIST RETURN options. RFC 5258 §3.2, RFC 5819 §2 (STATUS), RFC 6154 §5.1 (SPECIAL-USE).
@Suite struct ListParserTests {
    typealias R = ListReturnOptions

    static func list(_ patterns: [String], select: [String] = [], returning: R? = nil) -> IMAPCommand.Kind {
        .list(selectOptions: select, reference: "", patterns: patterns, returnOptions: returning)
    }

    static let transcripts: [Transcript] = [
        .init("3 list (SPECIAL-USE) \"\" \"*\"", IMAPCommand(tag: "3", list(["*"], select: ["SPECIAL-USE"]))),  // Thunderbird
        .init("4 list \"\" \"*\"", IMAPCommand(tag: "4", list(["*"]))),  // Thunderbird, mbsync, imapclient
        .init(
            "20 LIST \"\" \"*\" RETURN (CHILDREN SPECIAL-USE)",
            IMAPCommand(tag: "20", list(["*"], returning: R(children: true, specialUse: true)))),
        .init(
            "A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))",  // RFC 5819 §2
            IMAPCommand(tag: "A01", list(["%"], returning: R(status: ["MESSAGES", "UNSEEN"])))),
        .init(
            "A02 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" % RETURN (STATUS (MESSAGES))",  // RFC 5819 §2
            IMAPCommand(tag: "A02", list(["%"], select: ["SUBSCRIBED", "RECURSIVEMATCH"], returning: R(status: ["MESSAGES"])))),
        .init(
            "t1 LIST \"\" (\"INBOX\" \"Drafts\") RETURN (SUBSCRIBED)",
            IMAPCommand(tag: "t1", list(["INBOX", "Drafts"], returning: R(subscribed: true)))),  // RFC 5258 §5
        // RFC 6154 §5.1
        .init("t3 LIST \"\" \"*\" RETURN (SPECIAL-USE)", IMAPCommand(tag: "t3", list(["*"], returning: R(specialUse: true)))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// (what follows `a1 LIST "" * `, the options).
    static let fixtures: [(String, R)] = [
        ("RETURN ()", R()), ("return (subscribed)", R(subscribed: true)), ("RETURN (CHILDREN CHILDREN)", R(children: true)),
        (
            "RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ))",
            R(
                subscribed: true, children: true, specialUse: true,
                status: ["MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "HIGHESTMODSEQ"])
        ),
        ("RETURN (status (messages) special-use)", R(specialUse: true, status: ["MESSAGES"])),
    ]

    @Test(arguments: fixtures) func parses(_ arguments: String, _ expected: R) {
        let command = IMAPCommand(tag: "a1", Self.list(["*"], returning: expected))
        #expect(parse("a1 LIST \"\" * " + arguments) == .success(command))
        expectRoundTrip(command)
    }

    static let refused: [String] = [
        "", "RETURN", "RETURN ", "RETURN CHILDREN", "RETURN (CHILDREN", "RETURN (CHILDREN) ", "RETURN (FOO)", "RETURN ( CHILDREN)",
        "RETURN (CHILDREN )", "RETURNS (CHILDREN)", "RETURN(CHILDREN)", "RETURN (STATUS)", "RETURN (STATUS ())", "RETURN (STATUS MESSAGES)",
        "RETURN (STATUS (MESSAGES) STATUS (UNSEEN))", "RETURN (CHILDREN) RETURN (SUBSCRIBED)", "RETURN ((CHILDREN))", "FOO (x)",
    ]

    @Test(arguments: refused) func refuses(_ arguments: String) {
        #expect(errorKind("a1 LIST \"\" * " + arguments) == .badArguments)
    }

    @Test func absentAndEmptyDiffer() {
        #expect(parse("a1 LIST \"\" *") == .success(IMAPCommand(tag: "a1", Self.list(["*"]))))
        #expect(parse("a1 LIST \"\" * RETURN ()") == .success(IMAPCommand(tag: "a1", Self.list(["*"], returning: R()))))
        expectRoundTrip(IMAPCommand(tag: "a1", Self.list(["*"], returning: R())), encodesTo: "a1 LIST \"\" * RETURN ()")
        expectRoundTrip(
            IMAPCommand(tag: "a2", Self.list(["*"], returning: R(subscribed: true, children: true, specialUse: true, status: ["SIZE"]))),
            encodesTo: "a2 LIST \"\" * RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (SIZE))")
    }
}
