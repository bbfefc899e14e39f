import Foundation
import Testing

@testable import IMAPGateway

/// CHECK, CLOSE and UNSELECT: selected state only. RFC 3501 §6.4.1 (CHECK), RFC 9051 §6.4.1
/// (CLOSE), §6.4.2 (UNSELECT), RFC 3691.
@Suite("CHECK, CLOSE and UNSELECT")
struct CheckCloseUnselectTests {
    @Test("Outside the selected state all three are BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 CHECK", last: "a1 BAD")
        await t.send("a2 CLOSE", last: "a2 BAD")
        await t.send("a3 UNSELECT", last: "a3 BAD")
        await t.login()
        await t.send("a4 CHECK", last: "a4 BAD")
        await t.send("a5 CLOSE", last: "a5 BAD")
        await t.send("a6 UNSELECT", last: "a6 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("CHECK is a NOOP in the selected state")
    func check() async throws {
        let t = try await IMAPTranscript.start()
        await t.loginAndSelect()
        try await t.deliver(1)
        await t.send("a1 CHECK", expect: ["* 1 EXISTS"], last: "a1 OK")
        await t.send("a2 CHECK now", last: "a2 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("CLOSE expunges \\Deleted messages without EXPUNGE responses and leaves the selected state")
    func close() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(3)
        await t.loginAndSelect()
        let u = try await t.another()
        await u.login()
        await u.send("b1 SELECT INBOX", expect: ["* 3 EXISTS"], last: "b1 OK")
        await t.send("a1 STORE 1,3 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        let out = await t.send("a2 CLOSE", last: "a2 OK")
        #expect(untagged(out).isEmpty)
        await t.send("a3 FETCH 1 (UID)", last: "a3 BAD")
        await t.send("a4 SELECT INBOX", expect: ["* 1 EXISTS"], last: "a4 OK")
        await t.send("a5 FETCH 1 (UID)", expect: ["* 1 FETCH (UID 2)"], last: "a5 OK")
        // Another session sees the expunges as usual.
        let noop = await u.send("b2 NOOP", last: "b2 OK")
        // Either order is valid, as each number counts the messages left at that moment.
        #expect(
            untagged(noop) == ["* 3 EXPUNGE", "* 1 EXPUNGE"]
                || untagged(noop) == ["* 1 EXPUNGE", "* 2 EXPUNGE"], "\(noop)")
        await t.close()
        await u.close()
        await t.store.stop()
    }

    @Test("UNSELECT leaves \\Deleted messages in place")
    func unselect() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        await t.send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        let out = await t.send("a2 UNSELECT", last: "a2 OK")
        #expect(untagged(out).isEmpty)
        await t.send("a3 FETCH 1 (UID)", last: "a3 BAD")
        await t.send("a4 STATUS INBOX (MESSAGES DELETED)", expect: ["* STATUS INBOX (MESSAGES 2 DELETED 1)"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("CLOSE after EXAMINE expunges nothing (RFC 9051 §6.4.1)")
    func closeReadOnly() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.loginAndSelect()
        await t.send("a1 STORE 1:2 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        await t.send("a2 EXAMINE INBOX", expect: ["* 2 EXISTS"], last: "a2 OK [READ-ONLY]")
        await t.send("a3 CLOSE", last: "a3 OK")
        await t.send("a4 STATUS INBOX (MESSAGES DELETED)", expect: ["* STATUS INBOX (MESSAGES 2 DELETED 2)"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }
}
