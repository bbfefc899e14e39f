import Foundation
import Testing

@testable import IMAPGateway

/// SUBSCRIBE, UNSUBSCRIBE and LSUB: authenticated and selected states. RFC 9051 §6.3.7–6.3.8,
/// RFC 3501 §6.3.9 (LSUB), RFC 5258 §3.1 (LIST (SUBSCRIBED)).
@Suite("SUBSCRIBE, UNSUBSCRIBE and LSUB")
struct SubscribeTests {
    @Test("Before login they are BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 SUBSCRIBE INBOX", last: "a1 BAD")
        await t.send("a2 UNSUBSCRIBE INBOX", last: "a2 BAD")
        await t.send("a3 LSUB \"\" *", last: "a3 BAD")
        await t.store.stop()
    }

    @Test("UNSUBSCRIBE and SUBSCRIBE change what LSUB and LIST (SUBSCRIBED) return")
    func subscriptions() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let initial = await t.send("a1 LSUB \"\" *", last: "a1 OK")
        #expect(
            untagged(initial) == [
                "* LSUB () \"/\" INBOX",
                "* LSUB () \"/\" Drafts",
                "* LSUB () \"/\" Junk",
                "* LSUB () \"/\" Sent",
                "* LSUB () \"/\" Trash",
            ])
        await t.send("a2 UNSUBSCRIBE Junk", last: "a2 OK")
        let after = await t.send("a3 LSUB \"\" *", last: "a3 OK")
        #expect(!after.contains("Junk"))
        let subscribed = await t.send("a4 LIST (SUBSCRIBED) \"\" *", last: "a4 OK")
        #expect(responseLines(subscribed).contains("* LIST (\\HasNoChildren \\Sent \\Subscribed) \"/\" Sent"), "\(subscribed)")
        #expect(!subscribed.contains("Junk"))
        // Plain LIST still lists it, without \Subscribed.
        await t.send("a5 LIST \"\" Junk", expect: ["* LIST (\\HasNoChildren \\Junk) \"/\" Junk"], last: "a5 OK")
        await t.send("a6 SUBSCRIBE Junk", last: "a6 OK")
        await t.send("a7 LSUB \"\" J*", expect: ["* LSUB () \"/\" Junk"], last: "a7 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("SUBSCRIBE of a name that does not exist is NO; UNSUBSCRIBE of one is harmless")
    func unknownNames() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 SUBSCRIBE Nowhere", last: "a1 NO")
        await t.send("a2 UNSUBSCRIBE Nowhere", last: "a2 OK")
        await t.send("a3 SUBSCRIBE", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("LSUB patterns: % stops at the delimiter; a reference is a prefix")
    func lsubPatterns() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Work/Reports", last: "a1 OK")
        await t.send("a2 SELECT INBOX", last: "a2 OK")  // legal when selected too
        let top = await t.send("a3 LSUB \"\" %", last: "a3 OK")
        #expect(top.contains("* LSUB () \"/\" Work\r\n") && !top.contains("Work/Reports"))
        await t.send("a4 LSUB Work/ %", expect: ["* LSUB () \"/\" Work/Reports"], last: "a4 OK")
        await t.close()
        await t.store.stop()
    }
}
