import Foundation
import Testing

@testable import IMAPGateway

/// CREATE, DELETE and RENAME: authenticated and selected states. RFC 9051 §6.3.4–6.3.6,
/// RFC 5530 (response codes).
@Suite("CREATE, DELETE and RENAME")
struct CreateDeleteRenameTests {
    /// The names LIST "" * gives, in order.
    static func names(_ t: IMAPTranscript, _ tag: String) async -> [String] {
        let out = await t.send("\(tag) LIST \"\" *", last: "\(tag) OK")
        return responseLines(out).filter { $0.hasPrefix("* LIST") }.compactMap { $0.components(separatedBy: "\"/\" ").last }
    }

    @Test("Before login they are BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 CREATE Projects", last: "a1 BAD")
        await t.send("a2 DELETE Trash", last: "a2 BAD")
        await t.send("a3 RENAME Trash Bin", last: "a3 BAD")
        await t.store.stop()
    }

    @Test("CREATE makes a mailbox, and its superiors; existing names and INBOX are NO [ALREADYEXISTS]")
    func create() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Projects", last: "a1 OK")
        await t.send("a2 CREATE Projects", last: "a2 NO [ALREADYEXISTS]")
        await t.send("a3 CREATE inbox", last: "a3 NO [ALREADYEXISTS]")
        // RFC 9051 §6.3.4: superior names are created as needed; a trailing delimiter only
        // says that children are intended.
        await t.send("a4 CREATE Work/2026/Q1", last: "a4 OK")
        await t.send("a5 CREATE Later/", last: "a5 OK")
        let names = await Self.names(t, "a6")
        #expect(names == ["INBOX", "Drafts", "Junk", "Later", "Projects", "Sent", "Trash", "Work", "Work/2026", "Work/2026/Q1"])
        await t.send("a7 SELECT Work/2026", expect: ["* 0 EXISTS"], last: "a7 OK")
        // Legal in the selected state too.
        await t.send("a8 CREATE \"With Space\"", last: "a8 OK")
        await t.send("a9 STATUS \"With Space\" (MESSAGES)", expect: ["* STATUS \"With Space\" (MESSAGES 0)"], last: "a9 OK")
        await t.send("b1 CREATE", last: "b1 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("DELETE removes a mailbox and its messages; INBOX, unknown names and parents are NO")
    func delete() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 CREATE Old", last: "a1 OK")
        await t.send("a2 SELECT INBOX", last: "a2 OK")
        await t.send("a3 COPY 1 Old", last: "a3 OK [COPYUID")
        await t.send("a4 DELETE Old", last: "a4 OK")
        await t.send("a5 STATUS Old (MESSAGES)", last: "a5 NO [NONEXISTENT]")
        await t.send("a6 DELETE Old", last: "a6 NO [NONEXISTENT]")
        await t.send("a7 DELETE INBOX", last: "a7 NO")
        await t.send("a8 CREATE Parent/Child", last: "a8 OK")
        // RFC 5530 HASCHILDREN: this server does not keep \Noselect parents, so it refuses.
        await t.send("a9 DELETE Parent", last: "a9 NO [HASCHILDREN]")
        await t.send("b1 DELETE Parent/Child", last: "b1 OK")
        await t.send("b2 DELETE Parent", last: "b2 OK")
        let names = await Self.names(t, "b3")
        #expect(names == ["INBOX", "Drafts", "Junk", "Sent", "Trash"])
        // The message copied into Old is gone with it; the one in INBOX stays.
        await t.send("b4 FETCH 1 (UID)", expect: ["* 1 FETCH (UID 1)"], last: "b4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("A mailbox deleted and created again does not reuse UIDs under the same UIDVALIDITY (RFC 9051 §6.3.5)")
    func recreate() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        await t.send("a1 CREATE Again", last: "a1 OK")
        await t.send("a2 COPY 1:2 Again", last: "a2 OK")
        let before = await t.send("a3 STATUS Again (UIDVALIDITY UIDNEXT)", last: "a3 OK")
        let validity = try #require(number(after: "UIDVALIDITY", in: before))
        await t.send("a4 DELETE Again", last: "a4 OK")
        await t.send("a5 CREATE Again", last: "a5 OK")
        await t.send("a6 COPY 1 Again", last: "a6 OK")
        let after = await t.send("a7 STATUS Again (UIDVALIDITY UIDNEXT)", last: "a7 OK")
        let newValidity = try #require(number(after: "UIDVALIDITY", in: after))
        let newNext = try #require(number(after: "UIDNEXT", in: after))
        #expect(newValidity != validity || newNext > 3, "\(before)\(after)")
        await t.close()
        await t.store.stop()
    }

    @Test("DELETE of the selected mailbox keeps the session selected; its messages are expunged")
    func deleteSelected() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Scratch", last: "a1 OK")
        await t.send("a1b APPEND Scratch {18+}\r\nSubject: x\r\n\r\nbody", last: "a1b OK")
        await t.send("a2 SELECT Scratch", expect: ["* 1 EXISTS"], last: "a2 OK")
        let delete = await t.send("a3 DELETE Scratch", last: "a3 OK")
        // RFC 9051 §6: only SELECT, EXAMINE, CLOSE, UNSELECT and LOGOUT change state. The
        // expunge comes with DELETE's answer or, at the latest, with the NOOP.
        let noop = await t.send("a4 NOOP", last: "a4 OK")
        #expect((delete + noop).contains("* 1 EXPUNGE"), "\(delete)\(noop)")
        let fetch = await t.send("a5 FETCH 1:* (UID)", last: "a5 OK")
        #expect(!fetch.contains("FETCH ("))
        await t.close()
        await t.store.stop()
    }

    @Test("RENAME moves a mailbox with its children and messages")
    func rename() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a1 CREATE Projects/Alpha", last: "a1 OK")
        await t.send("a2 SELECT INBOX", last: "a2 OK")
        await t.send("a3 COPY 1:2 Projects", last: "a3 OK")
        await t.send("a4 RENAME Projects Archive/Projects", last: "a4 OK")
        let names = await Self.names(t, "a5")
        // RFC 9051 §6.3.6: inferior names move along; the new superior is created.
        #expect(names == ["INBOX", "Archive", "Archive/Projects", "Archive/Projects/Alpha", "Drafts", "Junk", "Sent", "Trash"])
        await t.send(
            "a6 STATUS Archive/Projects (MESSAGES UIDNEXT)", expect: ["* STATUS Archive/Projects (MESSAGES 2 UIDNEXT 3)"],
            last: "a6 OK")
        await t.send("a7 RENAME Nowhere Somewhere", last: "a7 NO [NONEXISTENT]")
        await t.send("a8 RENAME Archive/Projects Trash", last: "a8 NO [ALREADYEXISTS]")
        await t.send("a9 RENAME Trash INBOX", last: "a9 NO [ALREADYEXISTS]")
        await t.send("b1 RENAME Trash", last: "b1 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("RENAME of the selected mailbox keeps it selected under its new name")
    func renameSelected() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 COPY 1 Junk", last: "a2 OK")
        await t.send("a3 SELECT Junk", expect: ["* 1 EXISTS"], last: "a3 OK")
        await t.send("a4 RENAME Junk Spam", last: "a4 OK")
        await t.send("a5 FETCH 1 (UID)", expect: ["* 1 FETCH (UID 1)"], last: "a5 OK")
        await t.send("a6 STATUS Spam (MESSAGES)", expect: ["* STATUS Spam (MESSAGES 1)"], last: "a6 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("RENAME INBOX moves its messages to the new mailbox and leaves INBOX empty (RFC 9051 §6.3.6)")
    func renameInbox() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a1 RENAME INBOX Saved", last: "a1 OK")
        await t.send("a2 STATUS Saved (MESSAGES)", expect: ["* STATUS Saved (MESSAGES 2)"], last: "a2 OK")
        await t.send("a3 STATUS INBOX (MESSAGES)", expect: ["* STATUS INBOX (MESSAGES 0)"], last: "a3 OK")
        await t.close()
        await t.store.stop()
    }
}
