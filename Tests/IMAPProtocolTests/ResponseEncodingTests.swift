import IMAPProtocol
import InternetMessage
import Testing

/// Status, mailbox and message responses against RFC 9051 §7 / RFC 3501 §7 examples.
@Suite struct ResponseEncodingTests {
    typealias F = ResponseFixture

    @Test func taggedAndUntaggedStatus() {
        #expect(F.wire(.tagged("a1", .ok, .readWrite, "SELECT completed")) == "a1 OK [READ-WRITE] SELECT completed\r\n")
        #expect(F.wire(.tagged("A142", .no, nil, "COPY failed")) == "A142 NO COPY failed\r\n")
        #expect(F.wire(.untagged(.ok, .uidValidity(3_857_529_045), "UIDs valid")) == "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n")
        #expect(F.wire(.untagged(.bye, nil, "Autologout; idle for too long")) == "* BYE Autologout; idle for too long\r\n")
        #expect(
            F.wire(.untagged(.preauth, .capability(["IMAP4rev2", "IDLE"]), "Hi"))
                == "* PREAUTH [CAPABILITY IMAP4rev2 IDLE] Hi\r\n")
        #expect(F.wire(.tagged("a2", .bad, nil, "Missing tag")) == "a2 BAD Missing tag\r\n")
    }

    @Test func emptyTextGetsDefault() {
        // RFC 3501 §9: text = 1*TEXT-CHAR, so an empty text is never sent.
        #expect(F.wire(.tagged("a1", .ok, nil, "")) == "a1 OK Completed\r\n")
        #expect(F.wire(.untagged(.no, .overQuota, "")) == "* NO [OVERQUOTA] Failed\r\n")
    }

    @Test func textCannotBreakTheLine() {
        // A text that carries a client's bytes must not end the line and inject a response.
        let r = F.wire(.tagged("a1", .no, nil, "bad name x\r\n* OK [ALERT] owned\0"))
        #expect(r == "a1 NO bad name x  * OK [ALERT] owned \r\n")
        #expect(F.wire(.continuation("one\ntwo")) == "+ one two\r\n")
    }

    @Test func textIsSevenBitUnlessUTF8() {
        #expect(F.wire(.untagged(.ok, nil, "Entwürfe")) == "* OK Entw?rfe\r\n")
        #expect(F.wire(.untagged(.ok, nil, "Entwürfe"), utf8Enabled: true) == "* OK Entwürfe\r\n")
    }

    @Test func continuation() {
        #expect(F.wire(.continuation("Ready for additional command text")) == "+ Ready for additional command text\r\n")
        #expect(F.wire(.continuation("")) == "+ \r\n")  // an empty SASL challenge, RFC 9051 §7.6
        #expect(F.wire(.continuation("YGgGCSqGSIb3EgECAgIBAAD/////")) == "+ YGgGCSqGSIb3EgECAgIBAAD/////\r\n")
    }

    @Test func capabilityAndEnabled() {
        #expect(
            F.wire(.capability(["IMAP4rev2", "STARTTLS", "AUTH=GSSAPI", "LOGINDISABLED"]))
                == "* CAPABILITY IMAP4rev2 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n")
        #expect(F.wire(.enabled(["CONDSTORE", "QRESYNC"])) == "* ENABLED CONDSTORE QRESYNC\r\n")
        #expect(F.wire(.enabled([])) == "* ENABLED\r\n")  // RFC 5161 §4: nothing enabled
    }

    @Test func id() {
        #expect(F.wire(.id(nil)) == "* ID NIL\r\n")
        #expect(F.wire(.id([])) == "* ID NIL\r\n")
        let fields: [IMAPCommand.IDField] = [.init("name", "Cyrus"), .init("version", "1.5"), .init("support-url", nil)]
        #expect(F.wire(.id(fields)) == #"* ID ("name" "Cyrus" "version" "1.5" "support-url" NIL)\#r\#n"#)
        // 8-bit goes as a literal to an IMAP4rev1 client, quoted after UTF-8 is enabled.
        #expect(F.wire(.id([.init("name", "Buzón")])) == #"* ID ("name" {6}\#r\#nBuzón)\#r\#n"#)
        #expect(F.wire(.id([.init("name", "Buzón")]), utf8Enabled: true) == #"* ID ("name" "Buzón")\#r\#n"#)
    }

    @Test func list() {
        let news = ListEntry(attributes: ["\\Noselect"], delimiter: ".", name: MailboxName("#news.comp.mail.misc"))
        #expect(F.wire(.list(news)) == #"* LIST (\Noselect) "." #news.comp.mail.misc\#r\#n"#)
        let root = ListEntry(attributes: ["\\Noselect"], delimiter: "/", name: MailboxName(""))
        #expect(F.wire(.list(root)) == #"* LIST (\Noselect) "/" ""\#r\#n"#)
        let flat = ListEntry(attributes: [], delimiter: nil, name: .inbox)
        #expect(F.wire(.list(flat)) == "* LIST () NIL INBOX\r\n")
        let backslash = ListEntry(attributes: ["\\HasNoChildren"], delimiter: "\\", name: MailboxName("a b"))
        #expect(F.wire(.list(backslash)) == #"* LIST (\HasNoChildren) "\\" "a b"\#r\#n"#)
        // RFC 5258 §5 CHILDINFO extended item.
        let foo = ListEntry(attributes: ["\\HasChildren"], name: MailboxName("Foo"), childInfo: ["SUBSCRIBED"])
        #expect(F.wire(.list(foo)) == #"* LIST (\HasChildren) "/" Foo ("CHILDINFO" ("SUBSCRIBED"))\#r\#n"#)
        // LSUB has no extended items (RFC 3501 §7.2.3).
        #expect(F.wire(.lsub(foo)) == #"* LSUB (\HasChildren) "/" Foo\#r\#n"#)
    }

    @Test func listNamesFollowTheSession() {
        let drafts = ListEntry(attributes: ["\\Drafts"], name: MailboxName("Entwürfe"))
        #expect(F.wire(.list(drafts)) == #"* LIST (\Drafts) "/" Entw&APw-rfe\#r\#n"#)  // RFC 3501 §5.1.3
        #expect(F.wire(.list(drafts), utf8Enabled: true) == #"* LIST (\Drafts) "/" "Entwürfe"\#r\#n"#)  // RFC 6855 §3
        let wild = ListEntry(attributes: [], name: MailboxName("50% off"))
        #expect(F.wire(.list(wild)) == #"* LIST () "/" "50% off"\#r\#n"#)
    }

    @Test func status() {
        let items = [StatusItem("MESSAGES", 231), StatusItem("UIDNEXT", 44292)]
        #expect(F.wire(.status(MailboxName("blurdybloop"), items)) == "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n")
        #expect(
            F.wire(.status(MailboxName("Sent Items"), [StatusItem("HIGHESTMODSEQ", 7_011_231_777)]))
                == #"* STATUS "Sent Items" (HIGHESTMODSEQ 7011231777)\#r\#n"#)
        #expect(F.wire(.status(.inbox, [])) == "* STATUS INBOX ()\r\n")
    }

    @Test func flagsAndCounts() {
        #expect(
            F.wire(.flags(["\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"]))
                == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n")
        #expect(F.wire(.flags([])) == "* FLAGS ()\r\n")
        #expect(F.wire(.exists(23)) == "* 23 EXISTS\r\n")
        #expect(F.wire(.recent(5)) == "* 5 RECENT\r\n")
        #expect(F.wire(.expunge(44)) == "* 44 EXPUNGE\r\n")
    }

    @Test func search() {
        #expect(F.wire(.search([2, 3, 6], modSeq: nil)) == "* SEARCH 2 3 6\r\n")
        #expect(F.wire(.search([], modSeq: nil)) == "* SEARCH\r\n")
        // RFC 7162 §3.1.5 example.
        #expect(
            F.wire(.search([2, 5, 6, 7, 11, 12, 18, 19, 20, 23], modSeq: 917_162_500))
                == "* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)\r\n")
        // RFC 7162 §7: search-sort-mod-seq only follows at least one number.
        #expect(F.wire(.search([], modSeq: 5)) == "* SEARCH\r\n")
    }

    @Test func esearch() {
        let full = ESearch(tag: "a1", uid: true, min: 1, max: 9, count: 3, all: [9, 1, 2, 3], modSeq: 5)
        #expect(F.wire(.esearch(full)) == #"* ESEARCH (TAG "a1") UID MIN 1 MAX 9 COUNT 3 ALL 1:3,9 MODSEQ 5\#r\#n"#)
        // RFC 4731 §4 examples.
        #expect(F.wire(.esearch(ESearch(tag: "A282", uid: false, min: 2, count: 3))) == #"* ESEARCH (TAG "A282") MIN 2 COUNT 3\#r\#n"#)
        #expect(F.wire(.esearch(ESearch(tag: "A283", uid: false, all: [2, 10, 11]))) == #"* ESEARCH (TAG "A283") ALL 2,10:11\#r\#n"#)
        #expect(F.wire(.esearch(ESearch(tag: "A284", uid: false, all: []))) == #"* ESEARCH (TAG "A284")\#r\#n"#)
        #expect(F.wire(.esearch(ESearch(tag: nil, uid: true, count: 0))) == "* ESEARCH UID COUNT 0\r\n")
    }

    @Test func fetch() {
        let items: [FetchItem] = [.flags(["\\Seen"]), .internalDate(837_596_665), .rfc822Size(4286), .uid(7)]
        #expect(
            F.wire(.fetch(12, items))
                == #"* 12 FETCH (FLAGS (\Seen) INTERNALDATE "17-Jul-1996 09:44:25 +0000" RFC822.SIZE 4286 UID 7)\#r\#n"#)
        #expect(
            F.wire(.fetch(1, [.uid(7), .section(SectionSpec(), offset: nil, data: Array("hello".utf8))]))
                == "* 1 FETCH (UID 7 BODY[] {5}\r\nhello)\r\n")
    }

    @Test func vanished() {
        #expect(
            F.wire(.vanished(earlier: true, uids: [300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 405, 411]))
                == "* VANISHED (EARLIER) 300:310,405,411\r\n")  // RFC 7162 §3.2.10 example
        #expect(F.wire(.vanished(earlier: false, uids: [411, 405])) == "* VANISHED 405,411\r\n")
    }

    @Test func namespace() {
        #expect(
            F.wire(.namespace(personal: [Namespace(prefix: "", delimiter: "/")], other: [], shared: []))
                == #"* NAMESPACE (("" "/")) NIL NIL\#r\#n"#)
        // RFC 2342 §5 example 5.
        let shared = [
            Namespace(prefix: "#shared/", delimiter: "/"), Namespace(prefix: "#public/", delimiter: "/"),
            Namespace(prefix: "#ftp/", delimiter: "/"), Namespace(prefix: "#news.", delimiter: "."),
        ]
        #expect(
            F.wire(
                .namespace(
                    personal: [Namespace(prefix: "", delimiter: "/")], other: [Namespace(prefix: "~", delimiter: "/")], shared: shared))
                == "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")(\"#ftp/\" \"/\")(\"#news.\" \".\"))\r\n"
        )
        #expect(
            F.wire(.namespace(personal: [Namespace(prefix: "", delimiter: nil)], other: [], shared: []))
                == #"* NAMESPACE (("" NIL)) NIL NIL\#r\#n"#)
        #expect(
            F.wire(.namespace(personal: [], other: [Namespace(prefix: "Andere Benutzer/", delimiter: "/")], shared: []))
                == #"* NAMESPACE NIL (("Andere Benutzer/" "/")) NIL\#r\#n"#)
        #expect(
            F.wire(.namespace(personal: [], other: [], shared: [Namespace(prefix: "Geteilt/Öffentlich/", delimiter: "/")]))
                == #"* NAMESPACE NIL NIL (("Geteilt/&ANY-ffentlich/" "/"))\#r\#n"#)
    }

    @Test func everyResponseEndsWithOneCRLF() {
        let all: [IMAPResponse] = [
            .tagged("a", .ok, nil, "x"), .untagged(.ok, nil, "x"), .continuation(""), .capability(["IMAP4rev2"]),
            .enabled([]), .id(nil), .list(ListEntry(attributes: [], name: .inbox)), .lsub(ListEntry(attributes: [], name: .inbox)),
            .status(.inbox, []), .flags([]), .exists(0), .recent(0), .expunge(1), .search([], modSeq: nil),
            .esearch(ESearch(tag: nil, uid: false)), .fetch(1, [.uid(1)]), .vanished(earlier: false, uids: [1]),
            .namespace(personal: [], other: [], shared: []),
        ]
        for response in all {
            let bytes = response.encoded()
            #expect(bytes.suffix(2) == [0x0D, 0x0A])
            #expect(bytes.dropLast(2).allSatisfy { $0 != 0x0D && $0 != 0x0A })
            #expect(F.isWellFormed(bytes))
        }
    }

    @Test func wellFormedCheckerRejectsBrokenLines() {
        // The checker other tests rely on is not vacuous.
        #expect(F.isWellFormed(Array("* 1 FETCH (BODY[] {3}\r\nabc)\r\n".utf8)))
        #expect(!F.isWellFormed(Array("* 1 FETCH (BODY[] {5}\r\nabc)\r\n".utf8)))
        #expect(!F.isWellFormed(Array("* 1 FETCH (X \"a\r\nb\")\r\n".utf8)))
        #expect(!F.isWellFormed(Array("* 1 FETCH ((X)\r\n".utf8)))
        #expect(!F.isWellFormed(Array("* OK a\r\n* OK b\r\n".utf8)))
    }
}
