import Foundation
import Testing

@testable import IMAPGateway

/// LIST: authenticated and selected states. RFC 9051 §6.3.9, RFC 5258 (LIST-EXTENDED),
/// RFC 6154 (SPECIAL-USE), RFC 5819 (LIST-STATUS), RFC 3348 (CHILDREN).
@Suite("LIST")
struct ListTests {
    /// alice with Work, Work/Reports, Work/Reports/2026 and Personal besides the defaults.
    static func setUp() async throws -> IMAPTranscript {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("c1 CREATE Work/Reports/2026", last: "c1 OK")
        await t.send("c2 CREATE Personal", last: "c2 OK")
        return t
    }

    @Test("Before login LIST is BAD")
    func notAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 LIST \"\" *", last: "a1 BAD")
        await t.store.stop()
    }

    @Test("* matches across levels, % within one; \\HasChildren and \\HasNoChildren; special-use attributes")
    func wildcards() async throws {
        let t = try await Self.setUp()
        let all = await t.send("a1 LIST \"\" *", last: "a1 OK")
        #expect(
            untagged(all) == [
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren) \"/\" Personal",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "* LIST (\\HasChildren) \"/\" Work",
                "* LIST (\\HasChildren) \"/\" Work/Reports",
                "* LIST (\\HasNoChildren) \"/\" Work/Reports/2026",
            ])
        let top = await t.send("a2 LIST \"\" %", last: "a2 OK")
        #expect(responseLines(top).count == 8 && !top.contains("Work/"))
        let second = await t.send("a3 LIST \"\" Work/%", last: "a3 OK")
        #expect(untagged(second) == ["* LIST (\\HasChildren) \"/\" Work/Reports"])
        let below = await t.send("a4 LIST \"\" Work/*", last: "a4 OK")
        #expect(responseLines(below).count == 3)
        let middle = await t.send("a5 LIST \"\" W%/%s", last: "a5 OK")
        #expect(untagged(middle) == ["* LIST (\\HasChildren) \"/\" Work/Reports"])
        await t.send("a6 LIST \"\" Nothing*", last: "a6 OK LIST")
        await t.close()
        await t.store.stop()
    }

    @Test("The reference is a prefix of the pattern; INBOX matches in any case")
    func reference() async throws {
        let t = try await Self.setUp()
        let out = await t.send("a1 LIST Work/ %", last: "a1 OK")
        #expect(untagged(out) == ["* LIST (\\HasChildren) \"/\" Work/Reports"])
        let deep = await t.send("a2 LIST Work/Reports/ *", last: "a2 OK")
        #expect(untagged(deep) == ["* LIST (\\HasNoChildren) \"/\" Work/Reports/2026"])
        let inbox = await t.send("a3 LIST \"\" inbox", last: "a3 OK")
        #expect(untagged(inbox) == ["* LIST (\\HasNoChildren) \"/\" INBOX"])
        await t.close()
        await t.store.stop()
    }

    @Test("LIST \"\" \"\" gives the delimiter and the root, \\Noselect")
    func delimiter() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let out = await t.send("a1 LIST \"\" \"\"", last: "a1 OK")
        #expect(untagged(out) == ["* LIST (\\Noselect) \"/\" \"\""])
        await t.send("a2 SELECT INBOX", last: "a2 OK")
        await t.send("a3 LIST \"\" \"\"", expect: ["* LIST (\\Noselect) \"/\" \"\""], last: "a3 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Several patterns at once (RFC 5258 §3)")
    func patterns() async throws {
        let t = try await Self.setUp()
        let out = await t.send("a1 LIST \"\" (INBOX Sent Work/%)", last: "a1 OK")
        #expect(
            untagged(out) == [
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasChildren) \"/\" Work/Reports",
            ])
        await t.close()
        await t.store.stop()
    }

    @Test("LIST (SPECIAL-USE) selects only special-use mailboxes (RFC 6154 §3)")
    func specialUse() async throws {
        let t = try await Self.setUp()
        let out = await t.send("a1 LIST (SPECIAL-USE) \"\" *", last: "a1 OK")
        #expect(
            untagged(out) == [
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
            ])
        let returned = await t.send("a2 LIST \"\" * RETURN (SPECIAL-USE)", last: "a2 OK")
        #expect(responseLines(returned).count == 10)
        #expect(returned.contains("* LIST (\\HasNoChildren \\Sent) \"/\" Sent"))
        await t.close()
        await t.store.stop()
    }

    @Test("RETURN (SUBSCRIBED CHILDREN STATUS (MESSAGES UNSEEN)): a STATUS after each LIST")
    func returnOptions() async throws {
        let t = try await Self.setUp()
        try await t.deliver(2)
        await t.send("a0 UNSUBSCRIBE Personal", last: "a0 OK")
        let out = await t.send("a1 LIST \"\" % RETURN (SUBSCRIBED CHILDREN STATUS (MESSAGES UNSEEN))", last: "a1 OK")
        let lines = responseLines(out)
        let inbox = try #require(lines.firstIndex(of: "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX"), "\(out)")
        #expect(lines[inbox + 1] == "* STATUS INBOX (MESSAGES 2 UNSEEN 2)")
        let personal = try #require(lines.firstIndex(of: "* LIST (\\HasNoChildren) \"/\" Personal"), "\(out)")
        #expect(lines[personal + 1] == "* STATUS Personal (MESSAGES 0 UNSEEN 0)")
        #expect(lines.contains("* LIST (\\HasChildren \\Subscribed) \"/\" Work"))
        #expect(lines.contains("* STATUS Work (MESSAGES 0 UNSEEN 0)"))
        #expect(lines.filter { $0.hasPrefix("* STATUS") }.count == 7)
        // RFC 5819 §2: STATUS items as for the STATUS command — an unknown one is BAD.
        await t.send("a2 LIST \"\" % RETURN (STATUS (BOGUS))", last: "a2 BAD")
        await t.send("a3 LIST \"\" % RETURN (FROB)", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("RECURSIVEMATCH: an unsubscribed parent of a subscribed child comes with CHILDINFO (RFC 5258 §3.5)")
    func recursiveMatch() async throws {
        let t = try await Self.setUp()
        await t.send("a0 UNSUBSCRIBE Work", last: "a0 OK")
        await t.send("a1 UNSUBSCRIBE Work/Reports", last: "a1 OK")
        let top = await t.send("a2 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %", last: "a2 OK")
        #expect(responseLines(top).contains("* LIST (\\HasChildren) \"/\" Work (\"CHILDINFO\" (\"SUBSCRIBED\"))"), "\(top)")
        // Without RECURSIVEMATCH the unsubscribed parent is not there.
        let plain = await t.send("a3 LIST (SUBSCRIBED) \"\" %", last: "a3 OK")
        #expect(!plain.contains("Work"))
        let all = await t.send("a4 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" Work/*", last: "a4 OK")
        #expect(responseLines(all).contains("* LIST (\\HasChildren) \"/\" Work/Reports (\"CHILDINFO\" (\"SUBSCRIBED\"))"), "\(all)")
        #expect(responseLines(all).contains("* LIST (\\HasNoChildren \\Subscribed) \"/\" Work/Reports/2026"), "\(all)")
        // RECURSIVEMATCH alone selects nothing to recurse on: BAD (RFC 5258 §3).
        await t.send("a5 LIST (RECURSIVEMATCH) \"\" *", last: "a5 BAD")
        await t.close()
        await t.store.stop()
    }

    @Test("Malformed LIST is BAD")
    func syntax() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        await t.send("a1 LIST", last: "a1 BAD")
        await t.send("a2 LIST \"\"", last: "a2 BAD")
        await t.send("a3 LIST \"\" * RETURN", last: "a3 BAD")
        await t.close()
        await t.store.stop()
    }
}
