import IMAPProtocol
import Testing

/// RFC 4314 §3 commands and §3.6–3.8 responses, RFC 8440 §3 LIST RETURN (MYRIGHTS), with the
/// RFC's own examples where it gives them.
@Suite struct ACLGrammarTests {
    static let transcripts: [Transcript] = [
        // RFC 4314 §3.1–3.5 examples
        .init(
            "A035 SETACL INBOX/Drafts John lrQswicda",
            IMAPCommand(
                tag: "A035", .acl(.setACL(MailboxName("INBOX/Drafts"), identifier: "John", rights: "lrQswicda", modification: .replace)))),
        .init(
            "A002 SETACL INBOX/Drafts Chris +cda",
            IMAPCommand(tag: "A002", .acl(.setACL(MailboxName("INBOX/Drafts"), identifier: "Chris", rights: "cda", modification: .add)))),
        .init(
            "A003 SETACL Shared bob@example.org -w",
            IMAPCommand(
                tag: "A003", .acl(.setACL(MailboxName("Shared"), identifier: "bob@example.org", rights: "w", modification: .remove)))),
        .init(
            "A004 SETACL Shared anyone \"\"",
            IMAPCommand(tag: "A004", .acl(.setACL(MailboxName("Shared"), identifier: "anyone", rights: "", modification: .replace)))),
        .init(
            "A005 DELETEACL INBOX/Drafts Chris",
            IMAPCommand(tag: "A005", .acl(.deleteACL(MailboxName("INBOX/Drafts"), identifier: "Chris")))),
        .init("A002 GETACL INBOX", IMAPCommand(tag: "A002", .acl(.getACL(.inbox)))),
        .init(
            "a001 LISTRIGHTS ~/Mail/saved smith",
            IMAPCommand(tag: "a001", .acl(.listRights(MailboxName("~/Mail/saved"), identifier: "smith")))),
        .init("A003 MYRIGHTS INBOX", IMAPCommand(tag: "A003", .acl(.myRights(.inbox)))),
        .init(
            "a1 myrights \"Other Users/bob@example.org/Projects\"",
            IMAPCommand(tag: "a1", .acl(.myRights(MailboxName("Other Users/bob@example.org/Projects"))))),
        // RFC 8440 §3
        .init(
            "a1 LIST \"\" \"%\" RETURN (MYRIGHTS)",
            IMAPCommand(
                tag: "a1",
                .list(selectOptions: [], reference: "", patterns: ["%"], returnOptions: ListReturnOptions(myRights: true)))),
    ]

    @Test(arguments: transcripts) func parsesAndRoundTrips(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    @Test(arguments: [
        "a1 SETACL INBOX", "a1 SETACL INBOX bob", "a1 DELETEACL INBOX", "a1 GETACL", "a1 LISTRIGHTS INBOX",
        "a1 MYRIGHTS", "a1 GETACL INBOX extra", "a1 MYRIGHTS INBOX bob",
    ])
    func refusesMalformed(_ line: String) {
        guard case .failure = parse(line) else {
            Issue.record("\(line) parsed")
            return
        }
    }

    @Test func responses() {
        typealias F = ResponseFixture
        #expect(
            F.wire(.acl(.acl(.inbox, [.init(identifier: "Fred", rights: "rwipslxetad"), .init(identifier: "anyone", rights: "lr")])))
                == "* ACL INBOX Fred rwipslxetad anyone lr\r\n")
        #expect(
            F.wire(.acl(.listRights(MailboxName("~/Mail/saved"), identifier: "smith", required: "la", optional: ["r", "swicdkxte"])))
                == "* LISTRIGHTS ~/Mail/saved smith la r swicdkxte\r\n")
        #expect(F.wire(.acl(.myRights(.inbox, "rwiptsldaex"))) == "* MYRIGHTS INBOX rwiptsldaex\r\n")
        // Empty rights and names with spaces are strings.
        #expect(
            F.wire(
                .acl(
                    .listRights(
                        MailboxName("Other Users/bob@example.org/A B"), identifier: "carol@example.org", required: "", optional: ["l"])))
                == "* LISTRIGHTS \"Other Users/bob@example.org/A B\" carol@example.org \"\" l\r\n")
    }
}
