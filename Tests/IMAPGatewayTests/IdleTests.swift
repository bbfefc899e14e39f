import Foundation
import Testing

@testable import IMAPGateway

@Suite("IDLE")
struct IdleTests {
    @Test("A delivery shows up as EXISTS in IDLE; DONE ends it")
    func idleSeesDelivery() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 IDLE", last: "+ idling")
        try await t.deliver(1, first: 2)
        var seen = ""
        for _ in 0..<100 where !seen.contains("* 2 EXISTS") {
            try await Task.sleep(for: .milliseconds(50))
            seen += t.sink.take()
        }
        #expect(seen.contains("* 2 EXISTS"))
        await t.send("DONE", last: "a2 OK")
        await t.send("a3 IDLE", last: "+ idling")
        await t.send("NOPE", last: "a3 BAD")
        await t.send("a4 NOOP", last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Another session's expunge shows up in IDLE as EXPUNGE, its flag change as FETCH")
    func idleSeesExpungeAndFlags() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.login()
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", last: "b1 OK")
        await t.send("a2 IDLE", last: "+ idling")
        await u.send("b2 STORE 2 +FLAGS.SILENT (\\Deleted)", last: "b2 OK")
        await u.send("b3 EXPUNGE", expect: ["* 2 EXPUNGE"], last: "b3 OK")
        let expunged = try await t.waitFor("* 2 EXPUNGE")
        #expect(expunged.contains("* 2 EXPUNGE"), "\(expunged)")
        // What was message 3 is message 2 now, for both sessions.
        await u.send("b4 STORE 2 +FLAGS (\\Flagged)", expect: ["* 2 FETCH (FLAGS (\\Flagged))"], last: "b4 OK")
        let flagged = try await t.waitFor("FLAGS (\\Flagged)")
        #expect(flagged.contains("* 2 FETCH (UID 3 FLAGS (\\Flagged))"), "\(flagged)")
        let done = await t.send("DONE", last: "a2 OK")
        #expect(!done.contains("EXPUNGE"))
        await t.send("a3 FETCH 1:* (UID)", expect: ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"], last: "a3 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("With QRESYNC enabled IDLE reports VANISHED instead of EXPUNGE")
    func idleVanished() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a0 ENABLE QRESYNC", last: "a0 OK")
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 IDLE", last: "+ idling")
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", last: "b1 OK")
        await u.send("b2 UID STORE 1 +FLAGS.SILENT (\\Deleted)", last: "b2 OK")
        await u.send("b3 UID EXPUNGE 1", last: "b3 OK")
        let seen = try await t.waitFor("VANISHED")
        #expect(seen.contains("* VANISHED 1"), "\(seen)")
        #expect(!seen.contains("EXPUNGE"))
        await t.send("DONE", last: "a2 OK")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("IDLE before login is BAD; when authenticated it waits without a mailbox")
    func idleStates() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 IDLE", last: "a1 BAD")
        await t.login()
        await t.send("a2 IDLE", last: "+ idling")
        try await t.deliver(1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(!t.sink.take().contains("EXISTS"))
        await t.send("DONE", last: "a2 OK")
        await t.close()
        await t.store.stop()
    }
}
