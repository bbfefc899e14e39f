import IMAPProtocol
import TestSupport
import Testing

/// RFC 5267 §4 (CONTEXT=SEARCH, CONTEXT=SORT): the CONTEXT, UPDATE and PARTIAL return options
/// of SEARCH and SORT, CANCELUPDATE, and the ADDTO, REMOVEFROM and NOUPDATE answers (§5).
@Suite struct ContextGrammarTests {
    static func search(_ key: SearchKey, returning: [SearchReturnOption], uid: Bool = false) -> IMAPCommand.Kind {
        .search(SearchProgram(returnOptions: returning, key: key), uid: uid)
    }

    static let transcripts: [Transcript] = [
        // RFC 5267 §4.2, §4.3.1, §4.4 examples.
        .init(
            "A01 SEARCH RETURN (CONTEXT COUNT) UNDELETED UNKEYWORD $Junk",
            IMAPCommand(tag: "A01", search(.and([.noFlag(.deleted), .noFlag(Flag("$Junk")!)]), returning: [.context, .count]))),
        .init(
            "B01 UID SEARCH RETURN (UPDATE COUNT) DELETED KEYWORD $Junk",
            IMAPCommand(tag: "B01", search(.and([.flag(.deleted), .flag(Flag("$Junk")!)]), returning: [.update, .count], uid: true))),
        .init(
            "A02 UID SEARCH RETURN (PARTIAL 23500:24000) UNDELETED",
            IMAPCommand(tag: "A02", search(.noFlag(.deleted), returning: [.partial(23500...24000)], uid: true))),
        .init(
            "A03 search return (update partial 1:10 min) unseen",
            IMAPCommand(tag: "A03", search(.noFlag(.seen), returning: [.update, .partial(1...10), .min]))),
        .init(
            "B02 UID SORT RETURN (UPDATE COUNT) (DATE) UTF-8 KEYWORD $Junk",
            IMAPCommand(
                tag: "B02",
                .sort(SortProgram(criteria: [.init(.date)], returnOptions: [.update, .count], key: .flag(Flag("$Junk")!)), uid: true))),
        .init(
            "C1 SORT RETURN (CONTEXT UPDATE PARTIAL 1:5) (REVERSE ARRIVAL) UTF-8 ALL",
            IMAPCommand(
                tag: "C1",
                .sort(
                    SortProgram(
                        criteria: [.init(.arrival, reverse: true)], returnOptions: [.context, .update, .partial(1...5)], key: .all),
                    uid: false))),
        .init("B04 CANCELUPDATE \"B01\"", IMAPCommand(tag: "B04", .cancelUpdate(["B01"]))),
        .init("B05 cancelupdate \"a\" \"b.2\"", IMAPCommand(tag: "B05", .cancelUpdate(["a", "b.2"]))),
    ]

    @Test(arguments: transcripts) func parses(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    /// §4.4: "A range 500:400 is the same as 400:500".
    @Test func reversedRange() {
        #expect(
            parse("a SEARCH RETURN (PARTIAL 500:400) ALL")
                == .success(IMAPCommand(tag: "a", Self.search(.all, returning: [.partial(400...500)]))))
    }

    /// All `BAD`: a range is two non-zero numbers without `*` (§4.4); CANCELUPDATE takes one
    /// or more quoted tags (§5).
    static let refused: [String] = [
        "SEARCH RETURN (PARTIAL 0:5) ALL", "SEARCH RETURN (PARTIAL 1:*) ALL", "SEARCH RETURN (PARTIAL) ALL",
        "SEARCH RETURN (PARTIAL 3) ALL",
        "SEARCH RETURN (UPDATES) ALL", "SORT RETURN (PARTIAL 1:5 CONTEXT 3) (DATE) UTF-8 ALL",
        "CANCELUPDATE", "CANCELUPDATE ", "CANCELUPDATE B01", "CANCELUPDATE \"\"", "CANCELUPDATE \"a b\"", "CANCELUPDATE \"a+\"",
        "CANCELUPDATE \"a\"  \"b\"", "CANCELUPDATE {1}",
    ]

    @Test(arguments: refused) func refuses(_ line: String) {
        #expect(errorKind("a1 " + line) == .badArguments, "\(line)")
    }

    @Test func inChunks() {
        let wire = bytes("a1 UID SEARCH RETURN (UPDATE PARTIAL 1:50) UNSEEN\r\na2 CANCELUPDATE \"a1\"\r\n")
        let expected: [Result<IMAPCommand, IMAPSyntaxError>] = [
            .success(IMAPCommand(tag: "a1", Self.search(.noFlag(.seen), returning: [.update, .partial(1...50)], uid: true))),
            .success(IMAPCommand(tag: "a2", .cancelUpdate(["a1"]))),
        ]
        for size in chunkSizes { #expect(parseStream(wire, chunk: size) == expected, "chunk \(size)") }
    }

    @Test func addToAndRemoveFrom() {
        // §4.3.3 and §4.3.4 examples.
        var answer = ESearch(tag: "C01", uid: true)
        answer.updates = [ContextUpdate(.addTo, position: 1, [2733]), ContextUpdate(.addTo, position: 1, [2731, 2732])]
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "C01") UID ADDTO (1 2733) ADDTO (1 2731:2732)\#r\#n"#)
        answer = ESearch(tag: "B01", uid: true)
        answer.updates = [ContextUpdate(.addTo, position: 0, [32769, 32768])]
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "B01") UID ADDTO (0 32768:32769)\#r\#n"#)
        answer.updates = [ContextUpdate(.removeFrom, position: 0, [32768])]
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "B01") UID REMOVEFROM (0 32768)\#r\#n"#)
        // A sorted context's set stays in its order: ranges only where it ascends.
        answer = ESearch(tag: "s", uid: false)
        answer.updates = [ContextUpdate(.removeFrom, position: 4, [9, 3, 4, 5]), ContextUpdate(.addTo, position: 2, [7])]
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "s") REMOVEFROM (4 9,3:5) ADDTO (2 7)\#r\#n"#)
    }

    @Test func noUpdate() {
        #expect(
            ResponseFixture.wire(.untagged(.no, .noUpdate("B02"), "Too many contexts")) == #"* NO [NOUPDATE "B02"] Too many contexts\#r\#n"#
        )
    }

    @Test func searchPartial() {
        var answer = ESearch(tag: "A02", uid: true)
        answer.partial = (23500...24000, [67, 68, 69, 70])
        #expect(ResponseFixture.wire(.esearch(answer)) == #"* ESEARCH (TAG "A02") UID PARTIAL (23500:24000 67:70)\#r\#n"#)
    }
}
