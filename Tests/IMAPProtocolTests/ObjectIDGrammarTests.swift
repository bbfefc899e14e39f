import IMAPProtocol
import TestSupport
import Testing

/// The grammar of OBJECTID (RFC 8474), SAVEDATE (RFC 8514), PREVIEW (RFC 8970),
/// CREATE-SPECIAL-USE (RFC 6154 §3) and REPLACE (RFC 8508): commands parsed, encoded and
/// parsed back; responses as the RFCs' examples write them.
@Suite("OBJECTID, SAVEDATE, PREVIEW, CREATE-SPECIAL-USE, REPLACE grammar")
struct ObjectIDGrammarTests {
    static let one: SequenceSet = .ranges([.init(1)])

    static func fetch(_ attributes: [FetchAttribute], changedSince: UInt64? = nil, uid: Bool = false) -> IMAPCommand.Kind {
        .fetch(one, attributes: attributes, modifiers: .init(changedSince: changedSince), uid: uid)
    }

    static let accepted: [(String, IMAPCommand.Kind)] = [
        // RFC 8474 §5.1, §5.2 and §6 examples.
        ("1 FETCH 1 (EMAILID THREADID)", fetch([.emailID, .threadID])),
        ("1 FETCH 1 (SAVEDATE)", fetch([.saveDate])),
        ("1 SEARCH EMAILID M6d99ac3275bb4e", .search(SearchProgram(key: .emailID("M6d99ac3275bb4e")), uid: false)),
        ("1 UID SEARCH THREADID T64b478a75b7ea9", .search(SearchProgram(key: .threadID("T64b478a75b7ea9")), uid: true)),
        ("1 SEARCH THREADID a_b-9", .search(SearchProgram(key: .threadID("a_b-9")), uid: false)),
        // RFC 8514 §5.
        (
            "1 SEARCH SAVEDBEFORE 1-Feb-2024 SAVEDON 2-Feb-2024 SAVEDSINCE 3-Feb-2024 SAVEDATESUPPORTED",
            .search(
                SearchProgram(
                    key: .and([
                        .savedBefore(IMAPDate(year: 2024, month: 2, day: 1)!), .savedOn(IMAPDate(year: 2024, month: 2, day: 2)!),
                        .savedSince(IMAPDate(year: 2024, month: 2, day: 3)!), .saveDateSupported,
                    ])), uid: false)
        ),
        // RFC 8970 §4: PREVIEW and PREVIEW (LAZY), alone or among others.
        ("1 FETCH 1 (UID PREVIEW)", fetch([.uid, .preview(lazy: false)])),
        ("1 FETCH 1 (PREVIEW (LAZY) FLAGS)", fetch([.preview(lazy: true), .flags])),
        ("1 FETCH 1 PREVIEW (LAZY)", fetch([.preview(lazy: true)])),
        ("1 FETCH 1 preview (lazy)", fetch([.preview(lazy: true)])),
        // A list after a lone PREVIEW that is not LAZY is FETCH's modifiers.
        ("1 FETCH 1 PREVIEW (CHANGEDSINCE 5)", fetch([.preview(lazy: false)], changedSince: 5)),
        // RFC 6154 §5.2 example, and an empty USE list (a plain CREATE).
        ("t1 CREATE MySpecial (USE (\\Drafts \\Sent))", .createSpecialUse(MailboxName("MySpecial"), uses: ["\\Drafts", "\\Sent"])),
        ("t1 create Archive (use (\\Archive))", .createSpecialUse(MailboxName("Archive"), uses: ["\\Archive"])),
        ("t1 CREATE X (USE ())", .createSpecialUse(MailboxName("X"), uses: [])),
        ("t1 CREATE X", .create(MailboxName("X"))),
    ]

    @Test(arguments: accepted.indices)
    func parsesAndRoundTrips(_ index: Int) throws {
        let (line, kind) = Self.accepted[index]
        let tag = String(line.prefix { $0 != " " })
        let parsed = try parse(line).get()
        #expect(parsed == IMAPCommand(tag: tag, kind))
        // Encoded, the command parses back to itself.
        let wire = String(decoding: parsed.encoded(), as: UTF8.self)
        #expect(try parseWire(wire)?.get() == parsed, "\(wire)")
    }

    static let refused: [String] = [
        "1 SEARCH EMAILID",
        "1 SEARCH EMAILID M.1",  // "." is not an objectid char (RFC 8474 §7)
        "1 SEARCH EMAILID " + String(repeating: "a", count: 256),  // 1*255
        "1 SEARCH SAVEDON 31-Feb-2024",
        "1 FETCH 1 (PREVIEW (LAZY FUZZY))",
        "1 FETCH 1 (PREVIEW ())",
        "t1 CREATE X (USE (Sent))",
        "t1 CREATE X (USE (\\Sent) USE (\\Trash))",
        "t1 CREATE X (FOO)",
        "t1 REPLACE 0 Drafts {1}",
        "t1 REPLACE 1",
    ]

    @Test(arguments: refused)
    func refuses(_ line: String) {
        if case .success(let command) = parse(line) { Issue.record("accepted: \(command)") }
    }

    @Test("REPLACE and UID REPLACE: a number, a mailbox and an APPEND's message (RFC 8508 §6)")
    func replace() throws {
        let parsed = try #require(try parseWire("A003 REPLACE 4 Drafts (\\Seen \\Draft) {5}\r\nHello\r\n")?.get())
        #expect(
            parsed
                == IMAPCommand(
                    tag: "A003",
                    .replace(4, MailboxName("Drafts"), AppendMessage(flags: [.seen, .draft], message: Array("Hello".utf8)), uid: false)))
        let date = "\"05-Oct-2024 10:00:00 +0000\""
        let uid = try #require(try parseWire("a UID REPLACE 260 INBOX \(date) {2}\r\nHi\r\n")?.get())
        guard case .replace(260, let box, let message, uid: true) = uid.kind else {
            Issue.record("not a UID REPLACE: \(uid)")
            return
        }
        #expect(box == MailboxName("INBOX") && message.message == Array("Hi".utf8) && message.date != nil && message.flags.isEmpty)
        for command in [parsed, uid] {
            #expect(try parseWire(String(decoding: command.encoded(), as: UTF8.self))?.get() == command)
        }
    }

    @Test("FETCH items as RFC 8474 §5, RFC 8514 §4.1 and RFC 8970 §4 write them")
    func fetchItems() {
        #expect(ResponseFixture.item(.emailID("M6d99ac3275bb4e")) == "EMAILID (M6d99ac3275bb4e)")
        #expect(ResponseFixture.item(.threadID("T64b478a75b7ea9")) == "THREADID (T64b478a75b7ea9)")
        #expect(ResponseFixture.item(.threadID(nil)) == "THREADID NIL")
        #expect(ResponseFixture.item(.saveDate(1_700_000_000)) == "SAVEDATE \"14-Nov-2023 22:13:20 +0000\"")
        #expect(ResponseFixture.item(.saveDate(nil)) == "SAVEDATE NIL")
        #expect(ResponseFixture.item(.preview("Hello \"you\"")) == "PREVIEW \"Hello \\\"you\\\"\"")
        #expect(ResponseFixture.item(.preview(nil)) == "PREVIEW NIL")
        // 8-bit text to an IMAP4rev1 client goes as a literal; quoted once UTF8=ACCEPT is on.
        #expect(ResponseFixture.item(.preview("Café")) == "PREVIEW {5}\r\nCafé")
        #expect(ResponseFixture.item(.preview("Café"), utf8Enabled: true) == "PREVIEW \"Café\"")
    }

    @Test("STATUS MAILBOXID (RFC 8474 §4.2)")
    func statusMailboxID() {
        let response = IMAPResponse.status(MailboxName("foo"), [StatusItem("MESSAGES", 3), StatusItem(mailboxID: "F2212ea87")])
        #expect(ResponseFixture.wire(response) == "* STATUS foo (MESSAGES 3 MAILBOXID (F2212ea87))\r\n")
    }

    @Test func objectIDCharacters() {
        #expect(ObjectID.isValid("Fab_09-Z"))
        #expect(!ObjectID.isValid(""))
        #expect(!ObjectID.isValid("F.1"))
        #expect(!ObjectID.isValid(String(repeating: "a", count: 256)))
        #expect(ObjectID.isValid(String(repeating: "a", count: 255)))
    }
}
