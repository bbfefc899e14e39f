import Foundation
import StoreTestSupport
import Testing

@testable import IMAPGateway

/// Two sessions on one mailbox: what one does, the other hears when it may. RFC 9051 §5.2,
/// §7.5.1 (no EXPUNGE during FETCH, STORE, SEARCH; allowed during UID commands).
@Suite("Two sessions on one mailbox")
struct ConcurrencyTests {
    static func pair(_ messages: Int) async throws -> (IMAPTranscript, IMAPTranscript) {
        let t = try await IMAPTranscript.start()
        try await t.deliver(messages)
        await t.loginAndSelect()
        let u = try await t.another()
        await u.login()
        await u.send("b0 SELECT INBOX", expect: ["* \(messages) EXISTS"], last: "b0 OK")
        return (t, u)
    }

    @Test("Flag changes arrive as FETCH (UID, FLAGS) at the next NOOP")
    func flags() async throws {
        let (t, u) = try await Self.pair(3)
        await t.send("a1 STORE 1 +FLAGS.SILENT (\\Seen)", last: "a1 OK")
        await t.send("a2 STORE 3 +FLAGS.SILENT ($Work)", last: "a2 OK")
        let out = await u.send("b1 NOOP", last: "b1 OK")
        // $Work is new to the mailbox: FLAGS and PERMANENTFLAGS name it first (RFC 3501 §7.2.6).
        #expect(
            untagged(out) == [
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Work \\*)] Flags permitted",
                "* 1 FETCH (UID 1 FLAGS (\\Seen))", "* 3 FETCH (UID 3 FLAGS ($Work))",
            ])
        // Heard once: the next NOOP is quiet.
        let quiet = await u.send("b2 NOOP", last: "b2 OK")
        #expect(responseLines(quiet).count == 1)
        // A change and its undoing before the NOOP: nothing new to say, or the final state.
        await t.send("a3 STORE 2 +FLAGS.SILENT (\\Flagged)", last: "a3 OK")
        await t.send("a4 STORE 2 -FLAGS.SILENT (\\Flagged)", last: "a4 OK")
        let undone = await u.send("b3 NOOP", last: "b3 OK")
        #expect(!undone.contains("\\Flagged"))
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("New messages, appended or delivered, arrive as EXISTS at NOOP")
    func exists() async throws {
        let (t, u) = try await Self.pair(1)
        let m = String(decoding: sampleMessage(9), as: UTF8.self)
        await t.send("a1 APPEND INBOX {\(m.utf8.count)}\r\n\(m)", expect: ["* 2 EXISTS"], last: "a1 OK")
        await u.send("b1 NOOP", expect: ["* 2 EXISTS"], last: "b1 OK")
        try await t.deliver(1, first: 10)
        await u.send("b2 NOOP", expect: ["* 3 EXISTS"], last: "b2 OK")
        await u.send("b3 FETCH 3 (UID)", expect: ["* 3 FETCH (UID 3)"], last: "b3 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("Expunges wait through FETCH, STORE and SEARCH, and come at NOOP")
    func expungeHeld() async throws {
        let (t, u) = try await Self.pair(4)
        await t.send("a1 STORE 2 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        await t.send("a2 EXPUNGE", expect: ["* 2 EXPUNGE"], last: "a2 OK")

        let fetch = await u.send("b1 FETCH 1:4 (UID)", last: "b1 OK")
        #expect(!fetch.contains("EXPUNGE"))
        // Sequence numbers have not moved for this session: 3 is still UID 3.
        #expect(fetch.contains("* 3 FETCH (UID 3)") && fetch.contains("* 4 FETCH (UID 4)"))
        let store = await u.send("b2 STORE 3 +FLAGS (\\Flagged)", last: "b2 OK")
        #expect(!store.contains("EXPUNGE"))
        #expect(store.contains("* 3 FETCH (FLAGS (\\Flagged))"))
        let search = await u.send("b3 SEARCH ALL", last: "b3 OK")
        #expect(!search.contains("EXPUNGE"))
        #expect(!(line(search, startingWith: "* SEARCH") ?? "").contains(" 2 "))
        let noop = await u.send("b4 NOOP", last: "b4 OK")
        #expect(untagged(noop) == ["* 2 EXPUNGE"])
        await u.send(
            "b5 FETCH 1:* (UID FLAGS)",
            expect: ["* 1 FETCH (UID 1 FLAGS ())", "* 2 FETCH (UID 3 FLAGS (\\Flagged))", "* 3 FETCH (UID 4 FLAGS ())"],
            last: "b5 OK")
        await u.send("b6 FETCH 4 (UID)", last: "b6 BAD")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("UID FETCH, UID STORE and UID SEARCH may report expunges, after their own answers")
    func expungeInUIDCommands() async throws {
        let (t, u) = try await Self.pair(4)
        // Each round: t expunges the first message; u learns of it with a STORE (which must
        // not announce it), then a UID command announces it after its own answers.
        await t.send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        await t.send("a2 EXPUNGE", expect: ["* 1 EXPUNGE"], last: "a2 OK")
        let held = await u.send("b1 STORE 4 +FLAGS.SILENT (\\Seen)", last: "b1 OK")
        #expect(!held.contains("EXPUNGE"))
        let fetch = await u.send("b2 UID FETCH 2:* (FLAGS)", last: "b2 OK")
        #expect(
            untagged(fetch) == [
                "* 2 FETCH (UID 2 FLAGS ())", "* 3 FETCH (UID 3 FLAGS ())", "* 4 FETCH (UID 4 FLAGS (\\Seen))", "* 1 EXPUNGE",
            ], "\(fetch)")

        await t.send("a3 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a3 OK")
        await t.send("a4 EXPUNGE", expect: ["* 1 EXPUNGE"], last: "a4 OK")
        let held2 = await u.send("b3 STORE 3 -FLAGS.SILENT (\\Seen)", last: "b3 OK")
        #expect(!held2.contains("EXPUNGE"))
        let store = await u.send("b4 UID STORE 3 +FLAGS (\\Flagged)", last: "b4 OK")
        #expect(untagged(store) == ["* 2 FETCH (UID 3 FLAGS (\\Flagged))", "* 1 EXPUNGE"], "\(store)")

        await t.send("a5 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a5 OK")
        await t.send("a6 EXPUNGE", expect: ["* 1 EXPUNGE"], last: "a6 OK")
        await u.send("b5 STORE 2 +FLAGS.SILENT (\\Seen)", last: "b5 OK")
        let search = await u.send("b6 UID SEARCH ALL", last: "b6 OK")
        #expect(untagged(search) == ["* SEARCH 4", "* 1 EXPUNGE"], "\(search)")
        await u.send("b7 FETCH 1:* (UID)", expect: ["* 1 FETCH (UID 4)"], last: "b7 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("A message expunged elsewhere but not yet announced: FETCH of it gives no data, COPY skips it and announces it")
    func heldMessage() async throws {
        let (t, u) = try await Self.pair(2)
        await t.send("a1 STORE 2 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        await t.send("a2 EXPUNGE", last: "a2 OK")
        // A STORE reads the change feed but may not announce the expunge.
        let store = await u.send("b0 STORE 1 +FLAGS.SILENT (\\Seen)", last: "b0 OK")
        #expect(!store.contains("EXPUNGE"))
        let fetch = await u.send("b1 FETCH 2 (BODY.PEEK[])", last: "b1 ")
        #expect(!fetch.contains("BODY[]"))
        #expect(!fetch.contains("EXPUNGE"))
        // COPY copies nothing, and may (and here does) announce the expunge: it is not FETCH,
        // STORE or SEARCH (RFC 9051 §7.5.1).
        let copy = await u.send("b2 COPY 2 Trash", last: "b2 OK")
        #expect(!copy.contains("COPYUID"))
        #expect(responseLines(copy).first == "* 2 EXPUNGE", "\(copy)")
        await u.send("b3 STATUS Trash (MESSAGES)", expect: ["* STATUS Trash (MESSAGES 0)"], last: "b3 OK")
        let noop = await u.send("b4 NOOP", last: "b4 OK")
        #expect(untagged(noop).isEmpty)
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("The selected mailbox deleted by another session: its messages are expunged at NOOP")
    func deletedElsewhere() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        await t.send("a1 CREATE Shared", last: "a1 OK")
        await t.send("a2 COPY 1:2 Shared", last: "a2 OK")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT Shared", expect: ["* 2 EXISTS"], last: "b1 OK")
        await t.send("a3 DELETE Shared", last: "a3 OK")
        let noop = await u.send("b2 NOOP", last: "b2 OK")
        #expect(untagged(noop).filter { $0.hasSuffix(" EXPUNGE") }.count == 2, "\(noop)")
        // A new mailbox of the same name is a different mailbox: nothing of it reaches u.
        await t.send("a4 CREATE Shared", last: "a4 OK")
        await t.send("a5 COPY 1 Shared", last: "a5 OK")
        let later = await u.send("b3 NOOP", last: "b3 OK")
        #expect(untagged(later).isEmpty, "\(later)")
        await u.send("b4 FETCH 1 (UID)", last: "b4 BAD")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("A session in another mailbox hears nothing of INBOX")
    func otherMailbox() async throws {
        let (t, u) = try await Self.pair(1)
        await u.send("b1 SELECT Trash", last: "b1 OK")
        try await t.deliver(1, first: 2)
        await t.send("a1 STORE 1 +FLAGS.SILENT (\\Seen)", last: "a1 OK")
        let out = await u.send("b2 NOOP", last: "b2 OK")
        #expect(untagged(out).isEmpty)
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("A .SILENT STORE that changes nothing does not hide another session's change")
    func silentStoreKeepsOthersChanges() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 FETCH 1 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())"], last: "a2 OK")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", last: "b1 OK")
        await u.send("b2 STORE 1 +FLAGS.SILENT (\\Seen)", last: "b2 OK")
        // The client knows the message has no $Label; the store now also has \Seen, which
        // this client has not heard of yet and must still be told.
        let store = await t.send("a3 UID STORE 1 -FLAGS.SILENT ($Label)", last: "a3 OK")
        let noop = await t.send("a4 NOOP", last: "a4 OK")
        #expect((store + noop).contains("* 1 FETCH (UID 1 FLAGS (\\Seen))"), "\(store)\(noop)")
        await t.close()
        await u.close()
        await t.store.stop()
    }
}
