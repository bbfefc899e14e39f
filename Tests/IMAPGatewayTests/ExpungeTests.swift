import Foundation
import Testing

@testable import IMAPGateway

/// EXPUNGE and UID EXPUNGE: selected state only. RFC 9051 §6.4.3, §7.5.1, RFC 4315 §2.1,
/// RFC 7162 §3.2.10 (VANISHED).
@Suite("EXPUNGE and UID EXPUNGE")
struct ExpungeTests {
    @Test("Outside the selected state EXPUNGE is BAD")
    func wrongState() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 EXPUNGE", last: "a1 BAD")
        await t.login()
        await t.send("a2 EXPUNGE", last: "a2 BAD")
        await t.send("a3 UID EXPUNGE 1", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("EXPUNGE removes every \\Deleted message, one EXPUNGE response each, numbers valid as they come")
    func expunge() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(5)
        await t.loginAndSelect()
        await t.send("a1 EXPUNGE", last: "a1 OK")  // nothing to do
        await t.send("a2 STORE 2,4 +FLAGS.SILENT (\\Deleted)", last: "a2 OK")
        let out = await t.send("a3 EXPUNGE", last: "a3 OK")
        let expunges = responseLines(out).filter { $0.hasSuffix(" EXPUNGE") }
        #expect(expunges.count == 2)
        // Replaying the responses on 1:5 must leave UIDs 1, 3, 5 (RFC 9051 §7.5.1).
        var model = [1, 2, 3, 4, 5]
        for line in expunges {
            let n = Int(line.split(separator: " ")[1])!
            model.remove(at: n - 1)
        }
        #expect(model == [1, 3, 5])
        await t.send("a4 FETCH 1:* (UID)", expect: ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 5)"], last: "a4 OK")
        await t.send("a5 FETCH 4 (UID)", last: "a5 BAD")
        await t.send("a6 EXPUNGE now", last: "a6 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("UID EXPUNGE removes only the \\Deleted messages it names (RFC 4315 §2.1)")
    func uidExpunge() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(4)
        await t.loginAndSelect()
        await t.send("a1 STORE 1:3 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        let out = await t.send("a2 UID EXPUNGE 2:4", last: "a2 OK")
        // UID 4 is not \Deleted; UIDs 2 and 3 go.
        #expect(
            untagged(out) == ["* 3 EXPUNGE", "* 2 EXPUNGE"]
                || untagged(out) == ["* 2 EXPUNGE", "* 2 EXPUNGE"], "\(out)")
        await t.send(
            "a3 FETCH 1:* (UID FLAGS)", expect: ["* 1 FETCH (UID 1 FLAGS (\\Deleted))", "* 2 FETCH (UID 4 FLAGS ())"],
            last: "a3 OK")
        let none = await t.send("a4 UID EXPUNGE 100:200", last: "a4 OK")
        #expect(!none.contains("EXPUNGE\r\n"))
        await t.send("a5 UID EXPUNGE", last: "a5 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("EXPUNGE in a mailbox opened with EXAMINE is NO")
    func readOnly() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1)
        await t.loginAndSelect()
        await t.send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a1 OK")
        await t.send("a2 EXAMINE INBOX", last: "a2 OK [READ-ONLY]")
        await t.send("a3 EXPUNGE", last: "a3 NO")
        await t.send("a4 UID EXPUNGE 1", last: "a4 NO")
        await t.send("a5 FETCH 1 (UID)", expect: ["* 1 FETCH (UID 1)"], last: "a5 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("With QRESYNC enabled, expunges are reported as VANISHED UIDs (RFC 7162 §3.2.10)")
    func vanished() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(5)
        await t.login()
        await t.send("a0 ENABLE QRESYNC", last: "a0 OK")
        await t.send("a1 SELECT INBOX", last: "a1 OK")
        await t.send("a2 STORE 2,4:5 +FLAGS.SILENT (\\Deleted)", last: "a2 OK")
        let out = await t.send("a3 EXPUNGE", last: "a3 OK")
        #expect(untagged(out) == ["* VANISHED 2,4:5"])
        await t.send("a4 FETCH 1:* (UID)", expect: ["* 1 FETCH (UID 1", "* 2 FETCH (UID 3"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }
}
