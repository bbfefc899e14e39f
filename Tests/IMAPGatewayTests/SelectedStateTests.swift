import Foundation
import Testing

@testable import IMAPGateway

@Suite("SELECT, FETCH, STORE, EXPUNGE and what another session sees")
struct SelectedStateTests {
    @Test("SELECT reports the mailbox; a second session sees new mail, flags and expunges")
    func twoSessions() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        await t.send(
            "a1 SELECT INBOX", expect: ["* 3 EXISTS", "* OK [UIDVALIDITY", "* OK [UIDNEXT 4]", "* FLAGS (", "* OK [PERMANENTFLAGS"],
            last: "a1 OK [READ-WRITE]")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", expect: ["* 3 EXISTS"], last: "b1 OK")
        await t.send("a2 STORE 2 +FLAGS (\\Flagged)", expect: ["* 2 FETCH (FLAGS (\\Flagged))"], last: "a2 OK")
        try await t.deliver(1, first: 4)
        await u.send("b2 NOOP", expect: ["* 4 EXISTS", "* 2 FETCH (UID 2 FLAGS (\\Flagged))"], last: "b2 OK")
        await t.send("a3 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a3 OK")
        await t.send("a4 EXPUNGE", expect: ["* 1 EXPUNGE"], last: "a4 OK")
        // No EXPUNGE during FETCH (RFC 9051 §7.5.1); it comes with the next NOOP.
        let fetch = await u.send("b3 FETCH 1 (UID)", last: "b3 OK")
        #expect(!fetch.contains("EXPUNGE"))
        await u.send("b4 NOOP", expect: ["* 1 EXPUNGE"], last: "b4 OK")
        await u.send(
            "b5 FETCH 1:* (UID FLAGS)", expect: ["* 1 FETCH (UID 2 FLAGS (\\Flagged))", "* 3 FETCH (UID 4 FLAGS ())"], last: "b5 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("A message added and expunged between two announcements is announced before its EXPUNGE")
    func addedThenExpunged() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX", expect: ["* 1 EXISTS"], last: "a1 OK")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", expect: ["* 1 EXISTS"], last: "b1 OK")
        try await t.deliver(1, first: 2)
        await u.send("b2 NOOP", expect: ["* 2 EXISTS"], last: "b2 OK")
        await u.send("b3 STORE 2 +FLAGS.SILENT (\\Deleted)", last: "b3 OK")
        await u.send("b4 EXPUNGE", expect: ["* 2 EXPUNGE"], last: "b4 OK")
        // A knew one message: it must hear of the second (EXISTS 2) before its EXPUNGE 2.
        let said = await t.send("a2 NOOP", last: "a2 OK")
        let exists = said.range(of: "* 2 EXISTS"), expunge = said.range(of: "* 2 EXPUNGE")
        #expect(exists != nil && expunge != nil)
        if let exists, let expunge { #expect(exists.lowerBound < expunge.lowerBound) }
        await t.send("a3 FETCH 1:* (UID)", expect: ["* 1 FETCH (UID 1)"], last: "a3 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("FETCH BODY[] sets \\Seen, BODY.PEEK does not; sections and partials")
    func fetchBodies() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        let peek = await t.send("a2 FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])", last: "a2 OK")
        #expect(peek.contains("BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: Test 1\r\n\r\n)"))
        await t.send("a3 FETCH 1 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())"], last: "a3 OK")
        let body = await t.send("a4 FETCH 1 (BODY[TEXT])", last: "a4 OK")
        #expect(body.contains("BODY[TEXT] {8}\r\nHello.\r\n"))
        #expect(body.contains("\\Seen"))
        let partial = await t.send("a5 UID FETCH 2 (BODY.PEEK[]<0.4>)", last: "a5 OK")
        #expect(partial.contains("BODY[]<0> {4}\r\nFrom"))
        let structure = await t.send("a6 FETCH 2 (ENVELOPE BODYSTRUCTURE RFC822.SIZE INTERNALDATE)", last: "a6 OK")
        #expect(structure.contains("ENVELOPE (\"Thu, 26 Nov 2026 10:00:00 +0000\" \"Test 2\""))
        #expect(structure.uppercased().contains("BODYSTRUCTURE (\"TEXT\" \"PLAIN\""))
        await t.close()
        await t.store.stop()
    }

    @Test("COPY and MOVE answer COPYUID; MOVE expunges from the source")
    func copyMove() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 COPY 1:2 Trash", last: "a2 OK [COPYUID")
        await t.send("a3 UID MOVE 3 Junk", expect: ["* OK [COPYUID", "* 3 EXPUNGE"], last: "a3 OK")
        await t.send("a4 STATUS Trash (MESSAGES UIDNEXT)", expect: ["* STATUS Trash (MESSAGES 2 UIDNEXT 3)"], last: "a4 OK")
        await t.send("a5 COPY 1 Nowhere", last: "a5 NO [TRYCREATE]")
        await t.close()
        await t.store.stop()
    }

    @Test("Commands in the wrong state are BAD; bad syntax keeps the session")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 FETCH 1 FLAGS", last: "a1 BAD")
        await t.send("a2 SELECT INBOX", last: "a2 BAD")
        await t.login()
        await t.send("a3 FETCH 1 FLAGS", last: "a3 BAD")
        await t.send("a4 SELECT INBOX", last: "a4 OK")
        await t.send("a5 FETCH 1 (FLAGS", last: "a5 BAD")
        await t.send("a6 FETCH 99 FLAGS", last: "a6 BAD")
        await t.send("a7 NOOP", last: "a7 OK")
        await t.close()
        await t.store.stop()
    }
}
