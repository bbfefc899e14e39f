import Foundation
import Testing

@testable import IMAPGateway

/// COPY, MOVE and their UID forms: selected state only. RFC 9051 §6.4.7–6.4.8, RFC 6851
/// (MOVE), RFC 4315 §3 (COPYUID).
@Suite("COPY and MOVE")
struct CopyMoveTests {
    @Test("Outside the selected state COPY and MOVE are BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 COPY 1 Trash", last: "a1 BAD")
        await t.login()
        await t.send("a2 COPY 1 Trash", last: "a2 BAD")
        await t.send("a3 MOVE 1 Trash", last: "a3 BAD")
        await t.send("a4 UID MOVE 1 Trash", last: "a4 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("COPY keeps the source, answers [COPYUID validity source dest], carries flags")
    func copy() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.loginAndSelect()
        await t.send("a0 STORE 2 +FLAGS.SILENT (\\Flagged $Work)", last: "a0 OK")
        let status = await t.send("a1 STATUS Trash (UIDVALIDITY)", last: "a1 OK")
        let validity = try #require(number(after: "UIDVALIDITY", in: status))
        let out = await t.send("a2 COPY 2:3 Trash", last: "a2 OK")
        #expect(untagged(out).isEmpty)
        let uid = await t.send("a3 UID COPY 1,3 Trash", last: "a3 OK")
        #expect(untagged(uid).isEmpty)
        await t.send("a4 STATUS Trash (MESSAGES UIDNEXT)", expect: ["* STATUS Trash (MESSAGES 4 UIDNEXT 5)"], last: "a4 OK")
        await t.send("a5 NOOP", last: "a5 OK")
        await t.send("a6 FETCH 1:* (UID)", expect: ["* 3 FETCH (UID 3)"], last: "a6 OK")
        await t.send("a7 EXAMINE Trash", expect: ["* 4 EXISTS"], last: "a7 OK")
        await t.send(
            "a8 FETCH 1 (FLAGS ENVELOPE)",
            // A copy is new to Trash: \Recent (RFC 3501 §6.4.7), and EXAMINE does not take it away.
            expect: ["* 1 FETCH (FLAGS (\\Flagged $Work \\Recent) ENVELOPE (\"Thu, 26 Nov 2026 10:00:00 +0000\" \"Test 2\""],
            last: "a8 OK")
        // COPY out of a read-only mailbox is fine: the source does not change.
        await t.send("a9 COPY 1 Junk", last: "a9 OK [COPYUID")
        await t.close()
        await t.store.stop()
    }

    @Test("COPY into the selected mailbox: the copies arrive as EXISTS")
    func copyIntoSelf() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        let out = await t.send("a1 COPY 1:2 INBOX", last: "a1 OK [COPYUID")
        #expect(responseLines(out).first == "* 4 EXISTS")
        await t.send("a2 FETCH 3:4 (UID)", expect: ["* 3 FETCH (UID 3)", "* 4 FETCH (UID 4)"], last: "a2 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("MOVE: untagged COPYUID, then EXPUNGE in the source, then OK (RFC 6851 §4.3)")
    func move() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(4)
        await t.loginAndSelect()
        let status = await t.send("a1 STATUS Junk (UIDVALIDITY)", last: "a1 OK")
        let validity = try #require(number(after: "UIDVALIDITY", in: status))
        let out = await t.send("a2 MOVE 2:3 Junk", last: "a2 OK")
        let lines = responseLines(out)
        #expect(lines.first == "* OK [COPYUID \(validity) 2:3 1:2] Moved", "\(out)")
        let expunges = lines.filter { $0.hasSuffix(" EXPUNGE") }
        #expect(expunges == ["* 3 EXPUNGE", "* 2 EXPUNGE"] || expunges == ["* 2 EXPUNGE", "* 2 EXPUNGE"], "\(out)")
        await t.send("a3 FETCH 1:* (UID)", expect: ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)"], last: "a3 OK")
        let uid = await t.send("a4 UID MOVE 4 Junk", last: "a4 OK")
        #expect(untagged(uid) == ["* OK [COPYUID \(validity) 4 3] Moved", "* 2 EXPUNGE"], "\(uid)")
        await t.send("a5 STATUS Junk (MESSAGES UIDNEXT)", expect: ["* STATUS Junk (MESSAGES 3 UIDNEXT 4)"], last: "a5 OK")
        await t.send("a6 STATUS INBOX (MESSAGES)", expect: ["* STATUS INBOX (MESSAGES 1)"], last: "a6 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("MOVE with QRESYNC enabled reports VANISHED")
    func moveVanished() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        await t.send("a0 ENABLE QRESYNC", last: "a0 OK")
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        let out = await t.send("a2 UID MOVE 1:2 Trash", last: "a2 OK")
        #expect(responseLines(out).dropFirst().first == "* VANISHED 1:2", "\(out)")
        await t.close()
        await t.store.stop()
    }

    @Test("Another session sees a MOVE as EXPUNGE in the source and EXISTS in the target")
    func otherSession() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT Trash", expect: ["* 0 EXISTS"], last: "b1 OK")
        let v = try await t.another()
        await v.login()
        await v.send("c1 SELECT INBOX", expect: ["* 2 EXISTS"], last: "c1 OK")
        await t.send("a1 MOVE 1 Trash", last: "a1 OK")
        await u.send("b2 NOOP", expect: ["* 1 EXISTS"], last: "b2 OK")
        await v.send("c2 NOOP", expect: ["* 1 EXPUNGE"], last: "c2 OK")
        await t.close()
        await u.close()
        await v.close()
        await t.store.stop()
    }

    @Test("Refusals: no such mailbox NO [TRYCREATE], out of range BAD, MOVE from read-only NO")
    func refusals() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.loginAndSelect()
        await t.send("a1 COPY 1 Nowhere", last: "a1 NO [TRYCREATE]")
        await t.send("a2 MOVE 1 Nowhere", last: "a2 NO [TRYCREATE]")
        await t.send("a3 COPY 2 Trash", last: "a3 BAD")
        await t.send("a4 MOVE 5:6 Trash", last: "a4 BAD")
        let none = await t.send("a5 UID COPY 40:50 Trash", last: "a5 OK")
        #expect(!none.contains("COPYUID"))
        await t.send("a6 COPY 1", last: "a6 BAD")
        await t.send("a7 EXAMINE INBOX", last: "a7 OK")
        await t.send("a8 MOVE 1 Trash", last: "a8 NO")
        await t.send("a9 STATUS Trash (MESSAGES)", expect: ["* STATUS Trash (MESSAGES 0)"], last: "a9 OK")
        await t.close()
        await t.store.stop()
    }
}
