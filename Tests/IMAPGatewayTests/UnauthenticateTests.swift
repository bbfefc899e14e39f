import IMAPProtocol
import Testing

@testable import IMAPGateway

/// UNAUTHENTICATE: back to the not authenticated state on the same connection. RFC 8437 §3.
@Suite("UNAUTHENTICATE")
struct UnauthenticateTests {
    @Test("After UNAUTHENTICATE the session is as before login: capabilities, refusals, limits, a new login")
    func backToNotAuthenticated() async throws {
        let t = try await IMAPTranscript.start()
        let before = line(await t.send("a1 CAPABILITY", last: "a1 OK"), startingWith: "* CAPABILITY")
        // Legal only once logged in (RFC 8437 §3: authenticated or selected state).
        await t.send("a2 UNAUTHENTICATE", last: "a2 BAD")
        await t.login()
        let loggedIn = await t.send("a3 CAPABILITY", last: "a3 OK")
        #expect(loggedIn.contains(" UNAUTHENTICATE"))
        let done = await t.send("a4 UNAUTHENTICATE", last: "a4 OK [CAPABILITY ")
        #expect(done.contains("LITERAL-") && done.contains("AUTH=PLAIN") && !done.contains("LITERAL+"))
        let after = line(await t.send("a5 CAPABILITY", last: "a5 OK"), startingWith: "* CAPABILITY")
        #expect(after == before)
        await t.send("a6 SELECT INBOX", last: "a6 BAD")
        await t.send("a7 UNAUTHENTICATE", last: "a7 BAD")
        // The connection's limits are those of a client not logged in again.
        let limits = await t.session.limits
        let authenticated = limits.authenticated.load(ordering: .relaxed)
        let maxLiteral = limits.maxLiteralSize.load(ordering: .relaxed)
        #expect(!authenticated)
        #expect(maxLiteral == IMAPDefaults.smallLiteralSize)
        // Another account may log in on the same connection.
        await t.send("a8 LOGIN bob@example.test secret", last: "a8 OK")
        await t.send("a9 SELECT INBOX", expect: ["* 0 EXISTS"], last: "a9 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("The selected mailbox is closed without expunge, as UNSELECT")
    func closesWithoutExpunge() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(2)
        await t.login()
        await t.send("a1 SELECT INBOX", expect: ["* 2 EXISTS"], last: "a1 OK")
        await t.send("a2 STORE 1 +FLAGS.SILENT (\\Deleted)", last: "a2 OK")
        let done = await t.send("a3 UNAUTHENTICATE", last: "a3 OK")
        #expect(!done.contains("EXPUNGE"))
        await t.send("a4 FETCH 1 FLAGS", last: "a4 BAD")
        await t.login()
        await t.send("a5 SELECT INBOX", expect: ["* 2 EXISTS"], last: "a5 OK")
        await t.send("a6 FETCH 1 FLAGS", expect: ["* 1 FETCH (FLAGS (\\Deleted))"], last: "a6 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("ENABLEd extensions and CONDSTORE are reset; \\Recent claims stay with the old session")
    func stateIsReset() async throws {
        let t = try await IMAPTranscript.start()
        try await t.deliver(1, recent: true)
        await t.login()
        // This session is the first told of the message: its \Recent is claimed here.
        await t.send("a0 SELECT INBOX", expect: ["* 1 EXISTS", "* 1 RECENT"], last: "a0 OK")
        await t.send("b0 UNSELECT", last: "b0 OK")
        await t.send("a1 ENABLE QRESYNC IMAP4rev2", expect: ["* ENABLED"], last: "a1 OK")
        await t.send("a2 SELECT INBOX", expect: ["* 1 EXISTS"], last: "a2 OK")
        let modseq = await t.send("a3 FETCH 1 (FLAGS)", expect: ["* 1 FETCH ("], last: "a3 OK")
        #expect(modseq.contains("MODSEQ ("))
        await t.send("a4 UNAUTHENTICATE", last: "a4 OK")
        await t.login()
        // QRESYNC is off again (SELECT with its parameters needs a new ENABLE) ...
        await t.send("a5 SELECT INBOX (QRESYNC (1 1))", last: "a5 BAD")
        // ... and so are IMAP4rev2 (RECENT is back, RFC 3501 §7.3.2) and CONDSTORE (no MODSEQ).
        // The message's \Recent went to the first session's SELECT: it is not recent again.
        let selected = await t.send("a6 SELECT INBOX", expect: ["* 1 EXISTS", "* 0 RECENT"], last: "a6 OK")
        #expect(!selected.contains("[CLOSED]"))
        let fetched = await t.send("a7 FETCH 1 (FLAGS)", expect: ["* 1 FETCH (FLAGS ())"], last: "a7 OK")
        #expect(!fetched.contains("MODSEQ"))
        await t.send("a8 ENABLE QRESYNC", expect: ["* ENABLED QRESYNC"], last: "a8 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("Logging out after UNAUTHENTICATE frees the account's connection slot once")
    func slotReleasedOnce() async throws {
        let users = UserConnections(limit: 1)
        let t = try await IMAPTranscript.start(users: users)
        await t.login()
        await t.send("a1 UNAUTHENTICATE", last: "a1 OK")
        // The slot is free: another connection of the same account may log in ...
        let other = try await IMAPTranscript.start(store: t.store, users: users)
        await other.login()
        // ... and closing the first one does not free the second one's slot.
        await t.close()
        let third = try await IMAPTranscript.start(store: t.store, users: users)
        await third.send("b1 LOGIN alice@example.test secret", last: "b1 NO [LIMIT]")
        await other.close()
        await t.store.stop()
    }
}
