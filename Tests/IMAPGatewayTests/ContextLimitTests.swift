import Testing

@testable import IMAPGateway

/// What an updating search (RFC 5267 §4.3) does at its limits: a result too large to keep, and
/// a mailbox deleted under it.
@Suite("Updating search limits")
struct ContextLimitTests {
    @Test("A result over the size a context keeps is answered, but not kept updating (NOUPDATE, §4.3.1)")
    func resultTooLarge() async throws {
        let t = try await IMAPTranscript.start(maxUpdateResult: 2)
        try await t.deliver(3)
        await t.login()
        await t.send("s1 SELECT INBOX", last: "s1 OK")
        await t.send(
            "c1 SEARCH RETURN (UPDATE COUNT) ALL", expect: ["* NO [NOUPDATE \"c1\"]", "* ESEARCH (TAG \"c1\") COUNT 3"], last: "c1 OK")
        await t.send("c2 SEARCH RETURN (UPDATE COUNT) 1:2", expect: ["* ESEARCH (TAG \"c2\") COUNT 2"], last: "c2 OK")
        // Only c2 is kept: CANCELUPDATE of c1 names no context.
        await t.send("c3 CANCELUPDATE \"c1\"", last: "c3 NO")
        await t.send("c4 CANCELUPDATE \"c2\"", last: "c4 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Another session deletes the mailbox: REMOVEFROM for the results before their EXPUNGEs (§4.3.4)")
    func mailboxDeleted() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Box", last: "a1 OK")
        for n in 1...2 {
            await t.send("a\(n + 1) APPEND Box {5+}\r\nhi\(n)\r\n", last: "a\(n + 1) OK")
        }
        await t.send("s1 SELECT Box", last: "s1 OK")
        await t.send("c1 UID SEARCH RETURN (UPDATE) ALL", expect: ["* ESEARCH (TAG \"c1\") UID ALL 1:2"], last: "c1 OK")
        let other = try await t.another()
        await other.login()
        await other.send("d1 DELETE Box", last: "d1 OK")
        let out = await t.send("n1 NOOP", last: "n1 OK")
        let lines = out.components(separatedBy: "\r\n")
        let removal = lines.firstIndex { $0.hasPrefix("* ESEARCH (TAG \"c1\") UID REMOVEFROM (0 1:2)") }
        let expunge = lines.firstIndex { $0.hasSuffix(" EXPUNGE") }
        #expect(removal != nil && expunge != nil && removal! < expunge!, "\(out)")
        await other.close()
        await t.close()
        await t.store.stop()
    }
}
