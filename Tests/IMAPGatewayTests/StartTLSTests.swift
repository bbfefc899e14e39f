import Foundation
import Testing

@testable import IMAPGateway

/// STARTTLS: legal only before login and only once. RFC 9051 §6.2.1, §11.1.
@Suite("STARTTLS")
struct StartTLSTests {
    @Test("STARTTLS answers OK and tells the connection to start TLS; afterwards it is gone")
    func startTLS() async throws {
        let t = try await IMAPTranscript.start(plaintext: false)
        let (directive, out) = await t.send("a1 STARTTLS")
        // The connection writes the tagged OK and installs TLS in one step.
        #expect(out.isEmpty)
        #expect(directive == .startTLS(tag: "a1"))
        await t.session.tlsStarted()
        // RFC 9051 §6.2.1: the client discards what it knew; the new CAPABILITY has no STARTTLS
        // and, now that passwords travel encrypted, offers AUTH=PLAIN and no LOGINDISABLED.
        let caps = await t.send("a2 CAPABILITY", last: "a2 OK")
        #expect(!caps.contains("STARTTLS") && !caps.contains("LOGINDISABLED") && caps.contains("AUTH=PLAIN"))
        let (again, refused) = await t.send("a3 STARTTLS")
        #expect(refused.hasPrefix("a3 BAD"))
        #expect(again == .proceed)
        // Still not authenticated (RFC 9051 §6.2.1), and LOGIN is allowed now.
        await t.send("a4 SELECT INBOX", last: "a4 BAD")
        await t.send("a5 LOGIN alice@example.test secret", last: "a5 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("On a TLS connection STARTTLS is BAD")
    func refusedOverTLS() async throws {
        let t = try await IMAPTranscript.start(tls: true)
        let (directive, out) = await t.send("a1 STARTTLS")
        #expect(out.hasPrefix("a1 BAD"))
        #expect(directive == .proceed)
        await t.send("a2 NOOP", last: "a2 OK")
        await t.store.stop()
    }

    @Test("Once logged in STARTTLS is BAD")
    func refusedWhenLoggedIn() async throws {
        let t = try await IMAPTranscript.start()
        await t.login()
        let (directive, out) = await t.send("a1 STARTTLS")
        #expect(out.hasPrefix("a1 BAD"))
        #expect(directive == .proceed)
        await t.send("a2 SELECT INBOX", last: "a2 OK")
        let (selected, refused) = await t.send("a3 STARTTLS")
        #expect(refused.hasPrefix("a3 BAD"))
        #expect(selected == .proceed)
        await t.close()
        await t.store.stop()
    }

    @Test("STARTTLS takes no arguments")
    func arguments() async throws {
        let t = try await IMAPTranscript.start()
        let (directive, out) = await t.send("a1 STARTTLS now")
        #expect(out.hasPrefix("a1 BAD"))
        #expect(directive == .proceed)
        await t.store.stop()
    }
}
