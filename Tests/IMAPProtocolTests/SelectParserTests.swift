import IMAPProtocol
import Testing

/// SELECT/EXAMINE parameters: CONDSTORE and QRESYNC. RFC 7162 §3.1.8, §3.2.5.
@Suite struct SelectParserTests {
    typealias P = SelectParameters

    static let transcripts: [Transcript] = [
        .init("5 select \"INBOX\" (CONDSTORE)", IMAPCommand(tag: "5", .select(.inbox, parameters: P(condstore: true)))),  // Thunderbird
        .init("2 SELECT \"INBOX\"", IMAPCommand(tag: "2", .select(.inbox, parameters: P()))),  // mbsync
        .init("19 SELECT INBOX (CONDSTORE)", IMAPCommand(tag: "19", .select(.inbox, parameters: P(condstore: true)))),  // iOS Mail
        .init("JJAA2 EXAMINE \"Sent\"", IMAPCommand(tag: "JJAA2", .examine(MailboxName("Sent"), parameters: P()))),  // imapclient, readonly
        // RFC 7162 §3.2.5.
        .init(
            "A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
            IMAPCommand(
                tag: "A02",
                .select(
                    .inbox,
                    parameters: P(
                        qresync: .init(uidValidity: 67_890_007, modSeq: 20_050_715_194_045_000, knownUIDs: set("41,43:211,214:541")))))),
        .init(
            "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))",
            IMAPCommand(
                tag: "B04",
                .select(
                    .inbox,
                    parameters: P(
                        qresync: .init(
                            uidValidity: 67_890_007, modSeq: 90_060_115_194_045_000, knownUIDs: set("1:29997"),
                            sequenceMatch: .init(
                                sequenceNumbers: set("5000,7500,9000,9990:9999"),
                                uids: set("15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997"))))))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// (what follows `a1 SELECT INBOX`, the parameters).
    static let fixtures: [(String, P)] = [
        ("", P()), (" (CONDSTORE)", P(condstore: true)), (" (condstore condstore)", P(condstore: true)),
        (" (QRESYNC (1 0))", P(qresync: .init(uidValidity: 1, modSeq: 0))),
        (
            " (qresync (1 2 (1:3 5:7)))",
            P(qresync: .init(uidValidity: 1, modSeq: 2, sequenceMatch: .init(sequenceNumbers: set("1:3"), uids: set("5:7"))))
        ),
        (
            " (CONDSTORE QRESYNC (4294967295 9223372036854775807 3))",
            P(condstore: true, qresync: .init(uidValidity: UInt32.max, modSeq: UInt64(Int64.max), knownUIDs: set("3")))
        ),
        (" (QRESYNC (1 2) CONDSTORE)", P(condstore: true, qresync: .init(uidValidity: 1, modSeq: 2))),
    ]

    @Test(arguments: fixtures) func parses(_ arguments: String, _ expected: P) {
        for examine in [false, true] {
            let command = IMAPCommand(tag: "a1", examine ? .examine(.inbox, parameters: expected) : .select(.inbox, parameters: expected))
            #expect(parse("a1 \(examine ? "EXAMINE" : "SELECT") INBOX" + arguments) == .success(command))
            expectRoundTrip(command)
        }
    }

    static let refused: [String] = [
        " ", " ()", " (FOO)", " (CONDSTORE", " CONDSTORE", " (CONDSTORE )", " ( CONDSTORE)", " (CONDSTORE) ", " (CONDSTORE) (CONDSTORE)",
        " (QRESYNC)", " (QRESYNC ())", " (QRESYNC 1 2)", " (QRESYNC (1))", " (QRESYNC (0 2))", " (QRESYNC (1 x))", " (QRESYNC (1 2 ))",
        " (QRESYNC (4294967296 2))", " (QRESYNC (1 9223372036854775808))", " (QRESYNC (1 2 *))", " (QRESYNC (1 2 1:*))",
        " (QRESYNC (1 2 $))",
        " (QRESYNC (1 2 1:3 (1:3)))", " (QRESYNC (1 2 (1:3 *)))", " (QRESYNC (1 2 1:3 (1:3 4:6) x))", " (QRESYNC (1 2 (1 2) 3))",
        " (QRESYNC (1 2) QRESYNC (1 2))", " (QRESYNC (1 2)", " (QRESYNC (1 2 1:3 (1:3 4:6))",
    ]

    @Test(arguments: refused) func refuses(_ arguments: String) {
        #expect(errorKind("a1 SELECT INBOX" + arguments) == .badArguments)
    }

    @Test func encodes() {
        expectRoundTrip(
            IMAPCommand(
                tag: "a1",
                .select(
                    MailboxName("Entwürfe"),
                    parameters: P(
                        condstore: true,
                        qresync: .init(
                            uidValidity: 9, modSeq: 8, knownUIDs: set("1:7"),
                            sequenceMatch: .init(sequenceNumbers: set("1"), uids: set("7")))))),
            encodesTo: "a1 SELECT Entw&APw-rfe (CONDSTORE QRESYNC (9 8 1:7 (1 7)))")
        expectRoundTrip(IMAPCommand(tag: "a2", .examine(.inbox, parameters: P())), encodesTo: "a2 EXAMINE INBOX")
        #expect(P().isEmpty && !P(condstore: true).isEmpty)
    }
}
