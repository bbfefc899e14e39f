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

    @Test("SUBSCRIBE of a name that does not exist succeeds (RFC 9051 §6.3.7); UNSUBSCRIBE of one is harmless")
    func unknownNames() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 SUBSCRIBE Nowhere", last: "a1 OK")
        await t.send("a2 LSUB \"\" Nowhere", expect: ["* LSUB (\\Noselect) \"/\" Nowhere"], last: "a2 OK")
        // RFC 5258 §3.1: a subscribed name without a mailbox is \NonExistent.
        await t.send("a3 LIST (SUBSCRIBED) \"\" Nowhere", expect: ["* LIST (\\NonExistent \\Subscribed) \"/\" Nowhere"], last: "a3 OK")
        // Plain LIST lists mailboxes only.
        let plain = await t.send("a4 LIST \"\" *", last: "a4 OK")
        #expect(!plain.contains("Nowhere"))
        // The mailbox made later is subscribed already.
        await t.send("a5 CREATE Nowhere", last: "a5 OK")
        await t.send("a6 LSUB \"\" Nowhere", expect: ["* LSUB () \"/\" Nowhere"], last: "a6 OK")
        await t.send("a7 UNSUBSCRIBE Nowhere", last: "a7 OK")
        await t.send("a8 UNSUBSCRIBE Nowhere", last: "a8 OK")
        await t.send("a9 UNSUBSCRIBE Elsewhere", last: "a9 OK")
        await t.send("b1 LSUB \"\" *where", last: "b1 OK")
        await t.send("b2 SUBSCRIBE", last: "b2 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("DELETE keeps the subscription: a subscription is to a name (RFC 3501 §6.3.6, RFC 9051 §6.3.7)")
    func deleteKeepsSubscription() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Projects", last: "a1 OK")
        await t.send("a2 DELETE Projects", last: "a2 OK")
        await t.send("a3 LSUB \"\" Projects", expect: ["* LSUB (\\Noselect) \"/\" Projects"], last: "a3 OK")
        let subscribed = await t.send("a4 LIST (SUBSCRIBED) \"\" *", last: "a4 OK")
        #expect(responseLines(subscribed).contains("* LIST (\\NonExistent \\Subscribed) \"/\" Projects"), "\(subscribed)")
        // RETURN (SUBSCRIBED) without the selection option adds no names (RFC 5258 §3.2).
        let returned = await t.send("a5 LIST \"\" * RETURN (SUBSCRIBED)", last: "a5 OK")
        #expect(!returned.contains("Projects"))
        await t.send("a6 CREATE Projects", last: "a6 OK")
        await t.send(
            "a7 LIST \"\" Projects RETURN (SUBSCRIBED)", expect: ["* LIST (\\HasNoChildren \\Subscribed) \"/\" Projects"], last: "a7 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("LSUB with %: an unsubscribed superior of a subscribed name comes back \\Noselect (RFC 3501 §6.3.9)")
    func lsubNoselectSuperior() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Work/Reports", last: "a1 OK")
        await t.send("a2 UNSUBSCRIBE Work", last: "a2 OK")
        let top = await t.send("a3 LSUB \"\" %", last: "a3 OK")
        #expect(responseLines(top).contains("* LSUB (\\Noselect) \"/\" Work"), "\(top)")
        #expect(!top.contains("Work/Reports"))
        // With * the subscribed name itself matches, and the superior is not listed.
        let all = await t.send("a4 LSUB \"\" W*", last: "a4 OK")
        #expect(untagged(all) == ["* LSUB () \"/\" Work/Reports"], "\(all)")
        // A superior of a name subscribed without any mailbox comes back too.
        await t.send("a5 SUBSCRIBE Lists/ietf/imap", last: "a5 OK")
        await t.send("a6 LSUB \"\" Lists/%", expect: ["* LSUB (\\Noselect) \"/\" Lists/ietf"], last: "a6 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("RENAME leaves subscriptions as they are (RFC 9051 §6.3.6)")
    func renameKeepsSubscriptions() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 CREATE Before", last: "a1 OK")
        await t.send("a2 RENAME Before After", last: "a2 OK")
        let subscribed = await t.send("a3 LIST (SUBSCRIBED) \"\" *", last: "a3 OK")
        #expect(responseLines(subscribed).contains("* LIST (\\NonExistent \\Subscribed) \"/\" Before"), "\(subscribed)")
        #expect(!subscribed.contains("After"))
        // The sequence RFC 9051 §6.3.6 gives clients to keep them in step.
        await t.send("a4 SUBSCRIBE After", last: "a4 OK")
        await t.send("a5 UNSUBSCRIBE Before", last: "a5 OK")
        await t.send("a6 LSUB \"\" *f*", expect: ["* LSUB () \"/\" After"], last: "a6 OK")
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
