import Foundation
import Testing

@testable import IMAPGateway

/// ENABLE: authenticated state. RFC 5161; what each extension changes: RFC 7162 (CONDSTORE,
/// QRESYNC), RFC 6855 (UTF8=ACCEPT), RFC 9051 (IMAP4rev2).
@Suite("ENABLE")
struct EnableTests {
    @Test("Before login ENABLE is BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 ENABLE CONDSTORE", last: "a1 BAD")
        await t.store.stop()
    }

    @Test("ENABLED lists only what this command turned on; unknown names are ignored")
    func enabledList() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let first = await t.send("a1 ENABLE CONDSTORE X-UNKNOWN", last: "a1 OK")
        #expect(untagged(first) == ["* ENABLED CONDSTORE"])
        // Already enabled: RFC 5161 §3.1, the ENABLED response is sent even when empty.
        let again = await t.send("a2 ENABLE CONDSTORE", last: "a2 OK")
        #expect(responseLines(again).first == "* ENABLED")
        let qresync = await t.send("a3 enable qresync", last: "a3 OK")
        #expect(responseLines(qresync).first == "* ENABLED QRESYNC")
        await t.send("a4 ENABLE", last: "a4 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("ENABLE UTF8=ACCEPT: mailbox names go as UTF-8 instead of modified UTF-7")
    func utf8Accept() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Entw&APw-rfe", last: "a1 OK")
        await t.send("a2 LIST \"\" Entw*", expect: ["* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe"], last: "a2 OK")
        await t.send("a3 ENABLE UTF8=ACCEPT", expect: ["* ENABLED UTF8=ACCEPT"], last: "a3 OK")
        let list = await t.send("a4 LIST \"\" Entw*", last: "a4 OK")
        #expect(list.contains("\"/\" Entwürfe") || list.contains("\"/\" \"Entwürfe\""), "\(list)")
        // With UTF8=ACCEPT a name is UTF-8 and "&" is just "&" (RFC 6855 §3).
        await t.send("a5 SELECT \"Entwürfe\"", last: "a5 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("ENABLE IMAP4rev2: SELECT no longer sends RECENT or UNSEEN (RFC 9051 Appendix E)")
    func imap4rev2() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        let rev1 = await t.send("a1 EXAMINE INBOX", last: "a1 OK")
        #expect(rev1.contains("* 0 RECENT") && rev1.contains("* OK [UNSEEN 1]"))
        await t.send("a2 ENABLE IMAP4rev2", expect: ["* ENABLED IMAP4"], last: "a2 OK")
        let rev2 = await t.send("a3 SELECT INBOX", expect: ["* 2 EXISTS"], last: "a3 OK [READ-WRITE]")
        #expect(!rev2.contains("RECENT") && !rev2.contains("[UNSEEN"))
        await t.close()
        await t.store.stop()
    }

    @Test("ENABLE CONDSTORE: FETCH and STORE answers carry MODSEQ")
    func condstore() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 ENABLE CONDSTORE", last: "a1 OK")
        await t.send("a2 SELECT INBOX", expect: ["* OK [HIGHESTMODSEQ "], last: "a2 OK")
        let fetch = await t.send("a3 FETCH 1 (FLAGS)", last: "a3 OK")
        #expect(fetch.contains("* 1 FETCH (FLAGS () MODSEQ ("))
        let store = await t.send("a4 STORE 1 +FLAGS (\\Flagged)", last: "a4 OK")
        // RFC 7162 §3.1: after a CONDSTORE-enabling command every untagged FETCH has UID and MODSEQ.
        #expect(store.contains("UID 1") && store.contains("MODSEQ ("), "\(store)")
        await t.close()
        await t.store.stop()
    }

    @Test("The first CONDSTORE-enabling command in a selected mailbox is answered with OK [HIGHESTMODSEQ] (RFC 7162 §3.1)")
    func highestModSeqOnFirstEnablingCommand() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        let first = await t.send("a1 FETCH 1 (MODSEQ)", last: "a1 OK")
        let lines = responseLines(first)
        #expect(lines.count == 3 && lines[0].hasPrefix("* 1 FETCH (MODSEQ ("), "\(first)")
        let highest = try #require(number(after: "HIGHESTMODSEQ", in: first), "\(first)")
        #expect(lines[1] == "* OK [HIGHESTMODSEQ \(highest)] Highest", "\(first)")
        // Only the first: CONDSTORE stays on for the connection.
        let second = await t.send("a2 FETCH 2 (MODSEQ)", last: "a2 OK")
        #expect(!second.contains("HIGHESTMODSEQ"), "\(second)")
        await t.close()
        await t.store.stop()
    }

    @Test("Outside a selected mailbox, the enabling command sends no HIGHESTMODSEQ; SELECT does")
    func highestModSeqNotSelected() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        let status = await t.send("a1 STATUS INBOX (HIGHESTMODSEQ)", last: "a1 OK")
        #expect(!status.contains("* OK [HIGHESTMODSEQ"), "\(status)")
        let select = await t.send("a2 SELECT INBOX", last: "a2 OK")
        #expect(select.components(separatedBy: "[HIGHESTMODSEQ").count == 2, "\(select)")
        let fetch = await t.send("a3 FETCH 1:* (MODSEQ)", last: "a3 OK")
        #expect(!fetch.contains("HIGHESTMODSEQ"), "\(fetch)")
        await t.close()
        await t.store.stop()
    }
}
