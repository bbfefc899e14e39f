import IMAPProtocol
import Testing

/// The grammar of COMPRESS (RFC 4978), and of what UTF8=ACCEPT (RFC 6855), PARTIAL (RFC 9394)
/// and CATENATE (RFC 4469) add to commands and responses.
@Suite struct WireExtensionGrammarTests {
    func parse(_ line: String) -> Result<IMAPCommand, IMAPSyntaxError> { IMAPCommandParser().parse(line) }

    /// compress = "COMPRESS" SP algorithm. RFC 4978 §5
    @Test func compress() {
        #expect(parse("a1 COMPRESS DEFLATE") == .success(IMAPCommand(tag: "a1", .compress("DEFLATE"))))
        #expect(parse("a1 compress deflate") == .success(IMAPCommand(tag: "a1", .compress("DEFLATE"))))
        #expect((try? parse("a1 COMPRESS").get()) == nil)
        #expect((try? parse("a1 COMPRESS DEFLATE x").get()) == nil)
        #expect(IMAPCommand(tag: "a1", .compress("DEFLATE")).encoded() == Array("a1 COMPRESS DEFLATE\r\n".utf8))
    }

    /// partial-range = partial-range-first / partial-range-last. RFC 9394 §5
    @Test func partialRanges() {
        func returning(_ line: String) -> [SearchReturnOption]? {
            guard case .success(let command) = parse(line), case .search(let program, _) = command.kind else { return nil }
            return program.returnOptions
        }
        #expect(returning("a UID SEARCH RETURN (PARTIAL -1:-100) ALL") == [.partialLast(1...100)])
        #expect(returning("a SEARCH RETURN (PARTIAL -100:-1) ALL") == [.partialLast(1...100)])
        #expect(returning("a SEARCH RETURN (COUNT PARTIAL 5:1) ALL") == [.count, .partial(1...5)])
        #expect(returning("a SEARCH RETURN (PARTIAL 1:-5) ALL") == nil)
        #expect(returning("a SEARCH RETURN (PARTIAL -1:5) ALL") == nil)
        #expect(returning("a SEARCH RETURN (PARTIAL -0:-5) ALL") == nil)
        #expect(returning("a SEARCH RETURN (PARTIAL -1) ALL") == nil)
        guard case .success(let sort) = parse("a UID SORT RETURN (PARTIAL -1:-10) (DATE) UTF-8 ALL"),
            case .sort(let program, _) = sort.kind
        else {
            Issue.record("SORT with a negative PARTIAL")
            return
        }
        #expect(program.returnOptions == [.partialLast(1...10)])
        #expect(SearchReturnOption.partialLast(1...100).encoded == "PARTIAL -1:-100")
    }

    /// fetch-modifier =/ "PARTIAL" SP partial-range. RFC 9394 §3.2
    @Test func fetchPartialModifier() {
        guard case .success(let command) = parse("a UID FETCH 1:* (FLAGS) (PARTIAL -1:-30)"),
            case .fetch(_, _, let modifiers, true) = command.kind
        else {
            Issue.record("UID FETCH with PARTIAL")
            return
        }
        #expect(modifiers.partial == PartialRange(1...30, fromEnd: true))
        #expect(modifiers.encoded == Array("(PARTIAL -1:-30)".utf8))
        #expect((try? parse("a UID FETCH 1:* (FLAGS) (PARTIAL 1:2 PARTIAL 3:4)").get()) == nil)
        // CHANGEDSINCE beside it.
        guard case .success(let both) = parse("a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5 PARTIAL 1:10)"),
            case .fetch(_, _, let mods, _) = both.kind
        else {
            Issue.record("CHANGEDSINCE and PARTIAL")
            return
        }
        #expect(mods.changedSince == 5 && mods.partial == PartialRange(1...10))
        #expect(IMAPCommand(tag: "a", both.kind).encoded() == Array("a UID FETCH 1:* FLAGS (CHANGEDSINCE 5 PARTIAL 1:10)\r\n".utf8))
    }

    /// Positions from either end, clamped to the result. RFC 9394 §3.1
    @Test func partialWindow() {
        let items: [UInt32] = [10, 20, 30, 40, 50]
        #expect(PartialRange(1...2).window(items) == [10, 20])
        #expect(PartialRange(4...9).window(items) == [40, 50])
        #expect(PartialRange(6...9).window(items) == [])
        #expect(PartialRange(1...2, fromEnd: true).window(items) == [40, 50])
        #expect(PartialRange(2...3, fromEnd: true).window(items) == [30, 40])
        #expect(PartialRange(1...100, fromEnd: true).window(items) == items)
        #expect(PartialRange(6...9, fromEnd: true).window(items) == [])
        #expect(PartialRange(5...5, fromEnd: true).window(items) == [10])
    }

    /// `PARTIAL (-1:-100 …)` echoes the range as asked. RFC 9394 §3.1
    @Test func esearchPartialFromEnd() {
        var answer = ESearch(tag: "a1", uid: true)
        answer.partial = (1...100, [200, 201, 202, 250])
        answer.partialFromEnd = true
        #expect(ResponseFixture.wire(.esearch(answer)) == "* ESEARCH (TAG \"a1\") UID PARTIAL (-1:-100 200:202,250)\r\n")
        answer.partial = (1...100, [])
        #expect(ResponseFixture.wire(.esearch(answer)) == "* ESEARCH (TAG \"a1\") UID PARTIAL (-1:-100 NIL)\r\n")
    }

    /// append-data =/ "UTF8" SP "(" literal8 ")", only after ENABLE UTF8=ACCEPT. RFC 6855 §4
    @Test func appendUTF8() {
        let message = "Subject: Grüße\r\n\r\nHallo\r\n"
        let wire = "a1 APPEND INBOX (\\Seen) UTF8 (~{\(Array(message.utf8).count)}\r\n\(message))\r\n"
        #expect(
            parseWire(wire, utf8Enabled: true)
                == .success(IMAPCommand(tag: "a1", .append(.inbox, flags: [.seen], date: nil, message: Array(message.utf8), binary: true))))
        #expect((try? parseWire(wire, utf8Enabled: false)?.get()) == nil)
        // Not closed, or not a literal: BAD.
        #expect((try? parseWire("a1 APPEND INBOX UTF8 (~{2}\r\nab\r\n", utf8Enabled: true)?.get()) == nil)
        #expect((try? parseWire("a1 APPEND INBOX UTF8 (\"ab\")\r\n", utf8Enabled: true)?.get()) == nil)
    }

    /// append-data =/ "CATENATE" SP "(" cat-part *(SP cat-part) ")". RFC 4469 §5
    @Test func catenate() {
        let wire =
            "a1 APPEND Drafts (\\Draft) CATENATE (URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER\" TEXT {7}\r\nHello\r\n URL \";UID=20/;SECTION=1.MIME\")\r\n"
        let parts: [CatenatePart] = [
            .url("/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER"), .text(Array("Hello\r\n".utf8)), .url(";UID=20/;SECTION=1.MIME"),
        ]
        let expected = IMAPCommand(
            tag: "a1", .multiAppend(MailboxName("Drafts"), [AppendMessage(flags: [.draft], message: [], catenate: parts)]))
        #expect(parseWire(wire) == .success(expected))
        expectRoundTrip(expected)
        // With MULTIAPPEND: a plain literal, then a CATENATE.
        let both = IMAPCommand(
            tag: "a2",
            .multiAppend(
                MailboxName("Drafts"),
                [AppendMessage(message: Array("x\r\n".utf8)), AppendMessage(message: [], catenate: [.text(Array("t".utf8), binary: true)])])
        )
        expectRoundTrip(both)
        #expect((try? parse("a1 APPEND Drafts CATENATE ()").get()) == nil)
        #expect((try? parse("a1 APPEND Drafts CATENATE (FOO \"x\")").get()) == nil)
        #expect((try? parse("a1 APPEND Drafts CATENATE (URL \"x\"").get()) == nil)
    }

    /// RFC 5092 URLs of a message or part, absolute and relative. RFC 4469 §3
    @Test func imapURLs() throws {
        let full = try #require(
            IMAPURL(
                "imap://alice%40example.org;AUTH=*@Imap.Example.Org:143/INBOX/Lists;UIDVALIDITY=385759045/;UID=20/;SECTION=1.MIME/;PARTIAL=0.1024"
            ))
        #expect(full.hasServer && full.user == "alice@example.org" && full.host == "imap.example.org" && full.port == 143)
        #expect(full.mailbox == "INBOX/Lists" && full.uidValidity == 385_759_045 && full.uid == 20)
        #expect(full.section == "1.MIME" && full.partialOffset == 0 && full.partialLength == 1024 && !full.hasURLAuth)
        let path = try #require(IMAPURL("/Entw%C3%BCrfe;UIDVALIDITY=7/;UID=3/;section=header.fields%20(from)"))
        #expect(!path.hasServer && path.mailbox == "Entwürfe" && path.uidValidity == 7 && path.uid == 3)
        #expect(path.section == "HEADER.FIELDS (FROM)")
        let relative = try #require(IMAPURL(";UID=20/;PARTIAL=10"))
        #expect(relative.mailbox == nil && relative.uid == 20 && relative.partialOffset == 10 && relative.partialLength == nil)
        let noValidity = try #require(IMAPURL("/Drafts/;UID=5"))
        #expect(noValidity.mailbox == "Drafts" && noValidity.uidValidity == nil && noValidity.uid == 5)
        #expect(IMAPURL("/INBOX;UIDVALIDITY=1/;UID=2;URLAUTH=anonymous:internal:abc")?.hasURLAuth == true)
        for bad in [
            "/INBOX/;UID=0", "/INBOX/;UID=x", "/INBOX/;UID=1/;UID=2", "/INBOX/;FOO=1", "/IN%ZZ/;UID=1", "imap:///INBOX/;UID=1",
            "/INBOX/;UID=99999999999", "/INBOX/;UID=1/;PARTIAL=1.0",
        ] {
            #expect(IMAPURL(bad) == nil, "\(bad)")
        }
    }
}
