import IMAPProtocol
import Testing

/// GETMETADATA, SETMETADATA (RFC 5464 §5) and NOTIFY (RFC 5465 §8): commands, the METADATA
/// response and the codes.
@Suite struct MetadataNotifyGrammarTests {
    static let transcripts: [Transcript] = [
        // RFC 5464 §4.2 examples.
        .init(
            "a GETMETADATA \"\" /shared/comment",
            IMAPCommand(tag: "a", .getMetadata(MailboxName(""), entries: ["/shared/comment"], options: MetadataOptions()))),
        .init(
            "a GETMETADATA INBOX (/shared/Comment /private/comment)",
            IMAPCommand(
                tag: "a", .getMetadata(.inbox, entries: ["/shared/comment", "/private/comment"], options: MetadataOptions()))),
        .init(
            "a GETMETADATA (MAXSIZE 1024) INBOX /shared/comment",
            IMAPCommand(tag: "a", .getMetadata(.inbox, entries: ["/shared/comment"], options: MetadataOptions(maxSize: 1024)))),
        .init(
            "a GETMETADATA (DEPTH infinity MAXSIZE 7) INBOX /private",
            IMAPCommand(tag: "a", .getMetadata(.inbox, entries: ["/private"], options: MetadataOptions(maxSize: 7, depth: .infinity)))),
        .init(
            "a GETMETADATA (DEPTH 1) \"\" /shared",
            IMAPCommand(tag: "a", .getMetadata(MailboxName(""), entries: ["/shared"], options: MetadataOptions(depth: .one)))),
        // RFC 5464 §4.3 examples.
        .init(
            "a SETMETADATA INBOX (/private/comment \"My new comment\")",
            IMAPCommand(tag: "a", .setMetadata(.inbox, [MetadataEntryValue("/private/comment", Array("My new comment".utf8))]))),
        .init(
            "a SETMETADATA INBOX (/private/comment NIL /shared/x \"y\")",
            IMAPCommand(
                tag: "a", .setMetadata(.inbox, [MetadataEntryValue("/private/comment", nil), MetadataEntryValue("/shared/x", [0x79])]))),
        // RFC 5465 §3 and §7 examples.
        .init("a NOTIFY NONE", IMAPCommand(tag: "a", .notify(nil))),
        .init(
            "a NOTIFY SET STATUS (selected (MessageNew (uid flags) MessageExpunge)) (personal (MessageNew MessageExpunge MailboxName))",
            IMAPCommand(
                tag: "a",
                .notify(
                    NotifySpec(
                        status: true,
                        groups: [
                            NotifyEventGroup(.selected, [.messageNew([.uid, .flags]), .messageExpunge]),
                            NotifyEventGroup(.personal, [.messageNew([]), .messageExpunge, .mailboxName]),
                        ])))),
        .init(
            "a NOTIFY SET (SELECTED-DELAYED NONE) (SUBTREE (Lists INBOX) (MessageNew MessageExpunge FlagChange)) (MAILBOXES Drafts (SubscriptionChange))",
            IMAPCommand(
                tag: "a",
                .notify(
                    NotifySpec(groups: [
                        NotifyEventGroup(.selectedDelayed, []),
                        NotifyEventGroup(.subtree([MailboxName("Lists"), .inbox]), [.messageNew([]), .messageExpunge, .flagChange]),
                        NotifyEventGroup(.mailboxes([MailboxName("Drafts")]), [.subscriptionChange]),
                    ])))),
        .init(
            "a NOTIFY SET (INBOXES (MessageNew MessageExpunge AnnotationChange)) (SUBSCRIBED (MailboxMetadataChange ServerMetadataChange QuotaChange))",
            IMAPCommand(
                tag: "a",
                .notify(
                    NotifySpec(groups: [
                        NotifyEventGroup(.inboxes, [.messageNew([]), .messageExpunge, .annotationChange]),
                        NotifyEventGroup(.subscribed, [.mailboxMetadataChange, .serverMetadataChange, .other("QuotaChange")]),
                    ])))),
    ]

    @Test(arguments: transcripts) func parsesClientCommands(_ t: Transcript) {
        #expect(parse(t.line) == .success(t.command))
        expectRoundTrip(t.command)
    }

    @Test func setMetadataTakesLiteralsAndLiteral8() {
        let wire = "a SETMETADATA INBOX (/shared/a {3}\r\nx\ny /shared/b ~{2}\r\n\0z)\r\n"
        let expected = IMAPCommand(
            tag: "a",
            .setMetadata(.inbox, [MetadataEntryValue("/shared/a", Array("x\ny".utf8)), MetadataEntryValue("/shared/b", [0, 0x7A])]))
        #expect(parseWire(wire) == .success(expected))
        expectRoundTrip(expected)
    }

    @Test(arguments: [
        "a GETMETADATA INBOX", "a GETMETADATA (DEPTH 2) INBOX /shared", "a GETMETADATA (MAXSIZE) INBOX /shared",
        "a GETMETADATA (DEPTH 1 DEPTH 1) INBOX /shared", "a GETMETADATA (COLOR 1) INBOX /shared", "a GETMETADATA INBOX ()",
        "a SETMETADATA INBOX /shared/a \"b\"", "a SETMETADATA INBOX ()", "a SETMETADATA INBOX (/shared/a)",
        "a NOTIFY", "a NOTIFY SET", "a NOTIFY SET ()", "a NOTIFY SET (PERSONAL)", "a NOTIFY SET (EVERYWHERE (MessageNew))",
        "a NOTIFY SET (SUBTREE (MessageNew))", "a NOTIFY NONE x", "a NOTIFY SET (PERSONAL ())", "a NOTIFY SET STATUS",
    ])
    func refuses(_ line: String) {
        #expect(errorKind(line) != nil)
    }

    @Test func encodesMetadataResponses() {
        #expect(
            ResponseFixture.wire(.metadata(MailboxName(""), [MetadataEntryValue("/shared/comment", Array("Shared comment".utf8))]))
                == "* METADATA \"\" (/shared/comment \"Shared comment\")\r\n")
        #expect(
            ResponseFixture.wire(
                .metadata(.inbox, [MetadataEntryValue("/private/a", Array("x\r\ny".utf8)), MetadataEntryValue("/shared/b", [0, 1])]))
                == "* METADATA INBOX (/private/a {4}\r\nx\r\ny /shared/b ~{2}\r\n\0\u{1})\r\n")
        #expect(
            ResponseFixture.wire(.metadataChanged(MailboxName("Lists/x"), ["/shared/comment", "/private/comment"]))
                == "* METADATA Lists/x /shared/comment /private/comment\r\n")
        #expect(ResponseCode.metadata(.longEntries(2199)).encoded == Array("METADATA LONGENTRIES 2199".utf8))
        #expect(ResponseCode.metadata(.maxSize(1024)).encoded == Array("METADATA MAXSIZE 1024".utf8))
        #expect(ResponseCode.metadata(.tooMany).encoded == Array("METADATA TOOMANY".utf8))
        #expect(ResponseCode.metadata(.noPrivate).encoded == Array("METADATA NOPRIVATE".utf8))
        #expect(ResponseCode.badEvent(["MessageNew", "MailboxName"]).encoded == Array("BADEVENT (MessageNew MailboxName)".utf8))
        #expect(ResponseCode.notificationOverflow.encoded == Array("NOTIFICATIONOVERFLOW".utf8))
    }

    @Test func encodesListWithOldName() {
        let renamed = ListEntry(attributes: [], name: MailboxName("New"), oldName: MailboxName("Old Name"))
        #expect(ResponseFixture.wire(.list(renamed)) == "* LIST () \"/\" New (\"OLDNAME\" (\"Old Name\"))\r\n")
        let both = ListEntry(attributes: ["\\HasChildren"], name: MailboxName("B"), childInfo: ["SUBSCRIBED"], oldName: MailboxName("A"))
        #expect(ResponseFixture.wire(.list(both)) == "* LIST (\\HasChildren) \"/\" B (\"CHILDINFO\" (\"SUBSCRIBED\") \"OLDNAME\" (A))\r\n")
    }
}
