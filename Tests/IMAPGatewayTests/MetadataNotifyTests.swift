import Foundation
import IMAPProtocol
import Testing

@testable import IMAPGateway

/// METADATA (RFC 5464) and NOTIFY (RFC 5465) as transcripts against an in-process store.
@Suite("METADATA and NOTIFY")
struct MetadataNotifyTests {
    @Test("SETMETADATA then GETMETADATA, DEPTH and MAXSIZE; the server's entries under \"\"")
    func metadata() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send(
            "a1 SETMETADATA INBOX (/private/comment \"Mine\" /shared/comment \"Ours\" /shared/comment/x \"long value\")", last: "a1 OK")
        await t.send("a2 GETMETADATA INBOX /Shared/Comment", expect: ["* METADATA INBOX (/shared/comment \"Ours\")"], last: "a2 OK")
        await t.send(
            "a3 GETMETADATA (DEPTH 1 MAXSIZE 4) INBOX (/shared/comment /private/comment)",
            expect: ["* METADATA INBOX (/private/comment \"Mine\" /shared/comment \"Ours\")"], last: "a3 OK [METADATA LONGENTRIES 10]")
        await t.send("a4 SETMETADATA \"\" (/shared/comment \"Server\")", last: "a4 OK")
        await t.send("a5 GETMETADATA \"\" /shared/comment", expect: ["* METADATA \"\" (/shared/comment \"Server\")"], last: "a5 OK")
        await t.send("a6 SETMETADATA Nowhere (/shared/comment \"x\")", last: "a6 NO [NONEXISTENT]")
        await t.send("a7 GETMETADATA INBOX /comment", last: "a7 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("NOTIFY: other mailboxes' news before the next command's tagged answer; NOTIFY NONE ends it")
    func notifyBetweenCommands() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let other = try await t.another()
        await other.login()
        await t.send("n1 NOTIFY SET (PERSONAL (MessageNew MessageExpunge MailboxName MailboxMetadataChange))", last: "n1 OK")
        await other.send("o1 CREATE Projects", last: "o1 OK")
        await t.send("n2 NOOP", expect: ["* LIST () \"/\" Projects"], last: "n2 OK")
        try await t.deliver(1)
        await t.send("n3 NOOP", expect: ["* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UNSEEN 1)"], last: "n3 OK")
        await other.send("o2 SETMETADATA Projects (/private/comment \"x\")", last: "o2 OK")
        await t.send("n4 NOOP", expect: ["* METADATA Projects /private/comment"], last: "n4 OK")
        await t.send("n5 NOTIFY SET (PERSONAL (MessageNew))", last: "n5 BAD")
        await t.send("n6 NOTIFY SET (PERSONAL (QuotaChange))", last: "n6 NO [BADEVENT (")
        await t.send("n7 NOTIFY NONE", last: "n7 OK")
        await other.send("o3 CREATE Quiet", last: "o3 OK")
        let quiet = await t.send("n8 NOOP", last: "n8 OK")
        #expect(!quiet.contains("* LIST"), "\(quiet)")
        await other.close()
        await t.close()
        await t.store.stop()
    }
}
