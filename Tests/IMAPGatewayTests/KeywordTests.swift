import Foundation
import StoreTestSupport
import Testing

@testable import IMAPGateway

/// The keywords of a mailbox in FLAGS and PERMANENTFLAGS: listed at SELECT and EXAMINE,
/// announced to every session with the mailbox selected when a new one appears, and limited
/// per mailbox. RFC 3501 §7.2.6, §6.3.1, §7.1; RFC 9051 §7.3.5.
@Suite("Keywords in FLAGS")
struct KeywordTests {
    static let system = "\\Answered \\Flagged \\Deleted \\Seen \\Draft"

    @Test("STORE of a new keyword sends FLAGS and PERMANENTFLAGS before the FETCH; SELECT lists it")
    func newKeywordAnnounced() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        let out = await t.send("a1 STORE 1 +FLAGS (userflag)", last: "a1 OK")
        let lines = untagged(out)
        let flags = try #require(lines.firstIndex(of: "* FLAGS (\(Self.system) userflag)"), "\(out)")
        let permanent = try #require(
            lines.firstIndex { $0.hasPrefix("* OK [PERMANENTFLAGS (\(Self.system) userflag \\*)]") }, "\(out)")
        let fetch = try #require(lines.firstIndex { $0.hasPrefix("* 1 FETCH (FLAGS (") && $0.contains("userflag") }, "\(out)")
        #expect(flags < permanent && permanent < fetch)
        // Known now: the same keyword on another message is not announced again.
        let again = await t.send("a2 STORE 2 +FLAGS (UserFlag)", last: "a2 OK")
        #expect(!again.contains("* FLAGS"), "\(again)")
        await t.send(
            "a3 SELECT INBOX",
            expect: ["* FLAGS (\(Self.system) userflag)", "* OK [PERMANENTFLAGS (\(Self.system) userflag \\*)]"], last: "a3 OK")
        await t.send("a4 EXAMINE INBOX", expect: ["* FLAGS (\(Self.system) userflag)", "* OK [PERMANENTFLAGS ()]"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("A keyword set by another session (another gateway's) is announced at the next NOOP, and in IDLE")
    func otherSessionKeyword() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        let other = try await t.another()
        await other.loginAndSelect()
        await other.send("b1 STORE 2 +FLAGS.SILENT ($Label1)", last: "b1 OK")
        let noop = await t.send("a1 NOOP", last: "a1 OK")
        let lines = untagged(noop)
        let flags = try #require(lines.firstIndex(of: "* FLAGS (\(Self.system) $Label1)"), "\(noop)")
        let fetch = try #require(lines.firstIndex { $0.hasPrefix("* 2 FETCH") && $0.contains("$Label1") }, "\(noop)")
        #expect(flags < fetch)
        #expect(noop.contains("* OK [PERMANENTFLAGS (\(Self.system) $Label1 \\*)]"))
        // A delivery or APPEND with a new keyword: FLAGS after the EXISTS.
        await other.send(
            "b2 APPEND INBOX ($Label2) {\(sampleMessage(9).count)}\r\n\(String(decoding: sampleMessage(9), as: UTF8.self))", last: "b2 OK")
        let started = await t.send("a2 IDLE").output
        #expect(started.hasPrefix("+ idling"))
        let idle = started.contains("$Label2") ? started : started + (try await t.waitFor("$Label2"))
        #expect(idle.contains("* 3 EXISTS") && idle.contains("* FLAGS (\(Self.system) $Label1 $Label2)"), "\(idle)")
        await t.send("DONE", last: "a2 OK")
        await other.close()
        await t.close()
        await t.store.stop()
    }

    @Test("Beyond the limit: STORE and APPEND of a new keyword are refused, PERMANENTFLAGS drops \\*")
    func limit() async throws {
        let t = try await IMAPTranscript.start(maxMailboxKeywords: 2)
        try await t.deliver(2)
        await t.loginAndSelect()
        await t.send("a1 STORE 1 +FLAGS (one)", last: "a1 OK")
        let full = await t.send("a2 STORE 1 +FLAGS (two)", last: "a2 OK")
        #expect(full.contains("* OK [PERMANENTFLAGS (\(Self.system) one two)]"), "\(full)")
        await t.send("a3 STORE 2 +FLAGS (three)", last: "a3 NO [LIMIT]")
        await t.send("a4 STORE 2 FLAGS (one three)", last: "a4 NO [LIMIT]")
        await t.send("a5 FETCH 2 (FLAGS)", expect: ["* 2 FETCH (FLAGS ("], last: "a5 OK")
        // Keywords already there may still be set, and any flag removed.
        await t.send("a6 STORE 2 +FLAGS (TWO \\Seen)", last: "a6 OK")
        await t.send("a7 STORE 2 -FLAGS (three)", last: "a7 OK")
        let message = String(decoding: sampleMessage(5), as: UTF8.self)
        await t.send("a8 APPEND INBOX (four) {\(message.utf8.count)}\r\n\(message)", last: "a8 NO [LIMIT]")
        await t.send("a9 APPEND INBOX (one) {\(message.utf8.count)}\r\n\(message)", last: "a9 OK")
        // Another mailbox has its own room; APPEND there checks that mailbox's keywords.
        await t.send("b1 APPEND Drafts (x y) {\(message.utf8.count)}\r\n\(message)", last: "b1 OK")
        await t.send("b2 APPEND Drafts (z) {\(message.utf8.count)}\r\n\(message)", last: "b2 NO [LIMIT]")
        await t.send("b3 SELECT INBOX", expect: ["* OK [PERMANENTFLAGS (\(Self.system) one two)]"], last: "b3 OK")
        await t.close()
        await t.store.stop()
    }
}
