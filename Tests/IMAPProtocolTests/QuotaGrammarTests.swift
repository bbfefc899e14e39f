import IMAPProtocol
import Testing

/// GETQUOTA, GETQUOTAROOT, SETQUOTA and the QUOTA, QUOTAROOT responses. RFC 9208 §4, §7
@Suite struct QuotaGrammarTests {
    static let transcripts: [Transcript] = [
        // RFC 9208 §4.1.1–§4.1.3 examples, and imapclient's forms.
        .init("G GETQUOTA \"\"", IMAPCommand(tag: "G", .quota(.get(root: "")))),
        .init("a1 getquota \"User quota\"", IMAPCommand(tag: "a1", .quota(.get(root: "User quota")))),
        .init("G GETQUOTAROOT INBOX", IMAPCommand(tag: "G", .quota(.getRoot(.inbox)))),
        .init("a2 GETQUOTAROOT \"Sent\"", IMAPCommand(tag: "a2", .quota(.getRoot(MailboxName("Sent"))))),
        .init("S SETQUOTA \"\" (STORAGE 512)", IMAPCommand(tag: "S", .quota(.set(root: "", [QuotaLimit("STORAGE", 512)])))),
        .init(
            "S SETQUOTA \"User quota\" (storage 1 MESSAGE 4 MAILBOX 3 ANNOTATION-STORAGE 9223372036854775807)",
            IMAPCommand(
                tag: "S",
                .quota(
                    .set(
                        root: "User quota",
                        [
                            QuotaLimit("STORAGE", 1), QuotaLimit("MESSAGE", 4), QuotaLimit("MAILBOX", 3),
                            QuotaLimit("ANNOTATION-STORAGE", 9_223_372_036_854_775_807),
                        ])))),
        .init("S SETQUOTA root ()", IMAPCommand(tag: "S", .quota(.set(root: "root", [])))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    @Test(arguments: [
        "a GETQUOTA", "a GETQUOTAROOT", "a GETQUOTA \"\" x", "a SETQUOTA \"\"", "a SETQUOTA \"\" STORAGE 1",
        "a SETQUOTA \"\" (STORAGE)", "a SETQUOTA \"\" (STORAGE -1)", "a SETQUOTA \"\" (STORAGE 9223372036854775808)",
        "a SETQUOTA \"\" (STORAGE 1 )", "a SETQUOTA \"\" (STORAGE  1)",
    ])
    func refusesMalformed(_ line: String) {
        #expect(errorKind(line) != nil)
    }

    @Test func encodesResponses() {
        #expect(
            ResponseFixture.wire(.quota(.quota(root: "", [QuotaResource("STORAGE", usage: 10, limit: 512)])))
                == "* QUOTA \"\" (STORAGE 10 512)\r\n")
        #expect(
            ResponseFixture.wire(
                .quota(
                    .quota(
                        root: "User quota",
                        [QuotaResource("STORAGE", usage: 0, limit: 1), QuotaResource("MESSAGE", usage: 3, limit: 1000)])))
                == "* QUOTA \"User quota\" (STORAGE 0 1 MESSAGE 3 1000)\r\n")
        #expect(ResponseFixture.wire(.quota(.quotaRoot(.inbox, roots: [""]))) == "* QUOTAROOT INBOX \"\"\r\n")
        #expect(ResponseFixture.wire(.quota(.quotaRoot(MailboxName("Sent"), roots: []))) == "* QUOTAROOT Sent\r\n")
        #expect(ResponseFixture.wire(.quota(.quotaRoot(MailboxName("Entwürfe"), roots: ["a b"]))) == "* QUOTAROOT Entw&APw-rfe \"a b\"\r\n")
        #expect(ResponseFixture.wire(.tagged("a", .no, .overQuota, "Over quota")) == "a NO [OVERQUOTA] Over quota\r\n")
    }
}
