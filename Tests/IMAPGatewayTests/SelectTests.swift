import Foundation
import Testing

@testable import IMAPGateway

/// SELECT and EXAMINE: authenticated and selected states. RFC 9051 §6.3.2–6.3.3, RFC 3501
/// §6.3.1, RFC 7162 §3.1.8 (CONDSTORE), §3.2.5 (QRESYNC), §3.2.11 ([CLOSED]).
@Suite("SELECT and EXAMINE")
struct SelectTests {
    @Test("SELECT before login is BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 SELECT INBOX", last: "a1 BAD")
        await t.send("a2 EXAMINE INBOX", last: "a2 BAD")
        await t.store.stop()
    }

    @Test("SELECT sends FLAGS, PERMANENTFLAGS, EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, then OK [READ-WRITE]")
    func selectResponses() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        await t.send("a0 STORE 1 +FLAGS (\\Seen)", last: "a0 BAD")
        let out = await t.send("a1 SELECT inbox", last: "a1 OK [READ-WRITE]")
        let lines = responseLines(out)
        #expect(lines.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"))
        #expect(lines.contains { $0.hasPrefix("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)]") })
        #expect(lines.contains("* 3 EXISTS"))
        #expect(lines.contains("* 0 RECENT"))
        #expect(lines.contains { $0.hasPrefix("* OK [UNSEEN 1]") })
        #expect(lines.contains { $0.hasPrefix("* OK [UIDVALIDITY ") })
        #expect(lines.contains { $0.hasPrefix("* OK [UIDNEXT 4]") })
        #expect(lines.contains { $0.hasPrefix("* OK [HIGHESTMODSEQ ") })
        // Selected now: FETCH works, and [UNSEEN] follows the first unseen message.
        await t.send("a2 STORE 1 +FLAGS.SILENT (\\Seen)", last: "a2 OK")
        await t.send("a3 SELECT INBOX", expect: ["* OK [UNSEEN 2]"], last: "a3 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("EXAMINE is read-only: [READ-ONLY], no permanent flags, FETCH BODY[] leaves \\Seen alone")
    func examine() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        let out = await t.send("a1 EXAMINE INBOX", expect: ["* 1 EXISTS", "* OK [PERMANENTFLAGS ()]"], last: "a1 OK [READ-ONLY]")
        #expect(out.contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)"))
        let body = await t.send("a2 FETCH 1 (BODY[TEXT])", last: "a2 OK")
        #expect(!body.contains("\\Seen"))
        await t.send("a3 FETCH 1 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())"], last: "a3 OK")
        await t.send("a4 STORE 1 +FLAGS (\\Seen)", last: "a4 NO")
        await t.close()
        await t.store.stop()
    }

    @Test("A mailbox that does not exist is NO, and leaves no mailbox selected")
    func nonexistent() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT Nowhere", last: "a1 NO [NONEXISTENT]")
        await t.send("a2 SELECT INBOX", last: "a2 OK")
        await t.send("a3 FETCH 1 (UID)", expect: ["* 1 FETCH (UID 1)"], last: "a3 OK")
        // RFC 9051 §6.3.2: a failed SELECT deselects what was selected.
        await t.send("a4 EXAMINE Nowhere", last: "a4 NO")
        await t.send("a5 FETCH 1 (UID)", last: "a5 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("SELECT … (CONDSTORE): HIGHESTMODSEQ, and MODSEQ in FETCH")
    func condstoreParameter() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        let out = await t.send("a1 SELECT INBOX (CONDSTORE)", expect: ["* OK [HIGHESTMODSEQ "], last: "a1 OK [READ-WRITE]")
        let highest = try #require(number(after: "HIGHESTMODSEQ", in: out))
        let fetch = await t.send("a2 FETCH 1:2 (UID MODSEQ)", last: "a2 OK")
        let first = try #require(number(after: "MODSEQ", in: line(fetch, startingWith: "* 1 FETCH") ?? ""))
        let second = try #require(number(after: "MODSEQ", in: line(fetch, startingWith: "* 2 FETCH") ?? ""))
        #expect(first < second && second <= highest)
        // Changing a flag raises the mailbox's HIGHESTMODSEQ past every message's.
        let store = await t.send("a3 STORE 1 +FLAGS (\\Flagged)", last: "a3 OK")
        let changed = try #require(number(after: "MODSEQ", in: store))
        #expect(changed > highest)
        await t.send("a4 EXAMINE INBOX (CONDSTORE)", expect: ["* OK [HIGHESTMODSEQ \(changed)]"], last: "a4 OK [READ-ONLY]")
        await t.send("a5 SELECT INBOX (FROB)", last: "a5 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("QRESYNC: VANISHED (EARLIER) and the changed messages' FETCH in the SELECT answer")
    func qresync() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(4)
        await t.login()
        await t.send("a0 SELECT INBOX (QRESYNC (1 1))", last: "a0 BAD")  // RFC 7162 §3.2.5: ENABLE first
        await t.send("a1 ENABLE QRESYNC", expect: ["* ENABLED QRESYNC"], last: "a1 OK")
        let first = await t.send("a2 SELECT INBOX", last: "a2 OK")
        let validity = try #require(number(after: "UIDVALIDITY", in: first))
        let known = try #require(number(after: "HIGHESTMODSEQ", in: first))
        await t.send("a3 UNSELECT", last: "a3 OK")

        // Another client expunges UID 2 and flags UID 3 while this one is away.
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", last: "b1 OK")
        await u.send("b2 UID STORE 2 +FLAGS.SILENT (\\Deleted)", last: "b2 OK")
        await u.send("b3 EXPUNGE", last: "b3 OK")
        await u.send("b4 UID STORE 3 +FLAGS (\\Flagged)", last: "b4 OK")

        let resync = await t.send("a4 SELECT INBOX (QRESYNC (\(validity) \(known)))", expect: ["* 3 EXISTS"], last: "a4 OK [READ-WRITE]")
        let lines = responseLines(resync)
        #expect(lines.contains("* VANISHED (EARLIER) 2"))
        let fetch = try #require(lines.first { $0.hasPrefix("* 2 FETCH (UID 3 FLAGS (\\Flagged) MODSEQ (") }, "\(resync)")
        #expect(number(after: "MODSEQ", in: fetch)! > known)
        // Messages unchanged since `known` get no FETCH.
        #expect(!lines.contains { $0.contains("UID 1 ") || $0.contains("UID 4 ") })
        let vanished = lines.firstIndex(of: "* VANISHED (EARLIER) 2")!, fetched = lines.firstIndex(of: fetch)!
        #expect(vanished < fetched)

        // Known UIDs limit VANISHED to what the client says it has.
        let limited = await t.send("a5 SELECT INBOX (QRESYNC (\(validity) \(known) 3:4))", last: "a5 OK")
        #expect(!limited.contains("VANISHED"))
        // A UIDVALIDITY that no longer matches: a plain SELECT, no resynchronization.
        let stale = await t.send("a6 SELECT INBOX (QRESYNC (\(validity == 1 ? 2 : validity - 1) \(known)))", last: "a6 OK")
        #expect(!stale.contains("VANISHED") && !stale.contains("FETCH"))
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("With QRESYNC, SELECT while selected first says [CLOSED]; a failed one too")
    func closedWithQresync() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 ENABLE QRESYNC", last: "a1 OK")
        let first = await t.send("a2 SELECT INBOX", last: "a2 OK")
        #expect(!first.contains("[CLOSED]"))
        let second = await t.send("a3 EXAMINE Trash", last: "a3 OK [READ-ONLY]")
        let lines = responseLines(second)
        #expect(lines.first?.hasPrefix("* OK [CLOSED]") == true, "\(second)")
        let failed = await t.send("a4 SELECT Nowhere", last: "a4 NO")
        #expect(failed.hasPrefix("* OK [CLOSED]"))
        // Nothing is selected now, so nothing is closed.
        let fresh = await t.send("a5 SELECT INBOX", last: "a5 OK")
        #expect(!fresh.contains("[CLOSED]"))
        await t.close()
        await t.store.stop()
    }

    @Test("IMAP4rev2: [CLOSED] on reselect, and a LIST response for the selected mailbox (RFC 9051 §6.3.2)")
    func closedWithIMAP4rev2() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 ENABLE IMAP4rev2", last: "a1 OK")
        let first = await t.send("a2 SELECT INBOX", last: "a2 OK")
        // The attributes must be accurate; which ones are sent is the server's choice.
        #expect(
            responseLines(first).contains { $0.hasPrefix("* LIST (") && $0.hasSuffix(") \"/\" INBOX") && !$0.contains("\\HasChildren") },
            "\(first)")
        let trash = await t.send("a3 SELECT Trash", last: "a3 OK")
        #expect(trash.hasPrefix("* OK [CLOSED]"), "\(trash)")
        #expect(
            responseLines(trash).contains { $0.hasPrefix("* LIST (") && $0.contains("\\Trash") && $0.hasSuffix(" \"/\" Trash") }, "\(trash)"
        )
        await t.close()
        await t.store.stop()
    }

    @Test("Without QRESYNC or IMAP4rev2, reselecting changes the mailbox without [CLOSED]")
    func reselectRev1() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a1 SELECT INBOX", expect: ["* 2 EXISTS"], last: "a1 OK")
        let trash = await t.send("a2 SELECT Trash", expect: ["* 0 EXISTS"], last: "a2 OK")
        #expect(!trash.contains("LIST"))
        await t.send("a3 FETCH 1 (UID)", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }
}
