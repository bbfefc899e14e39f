import Foundation
import Testing
@testable import IMAPGateway

@Suite("LOGIN and AUTHENTICATE")
struct LoginTests {
    @Test("LOGIN with the right password authenticates, and says the new capabilities")
    func login() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 CAPABILITY", expect: ["* CAPABILITY IMAP4rev1 IMAP4rev2", "a1 OK"], last: "a1 OK")
        let out = await t.send("a2 LOGIN alice@example.test secret", last: "a2 OK [CAPABILITY IMAP4rev1")
        #expect(!out.contains("AUTH=PLAIN"))
        await t.send("a3 SELECT INBOX", last: "a3 OK [READ-WRITE]")
        await t.close()
        await t.store.stop()
    }

    @Test("A wrong password is NO [AUTHENTICATIONFAILED]; the third closes the connection")
    func failures() async throws {
        let t = try await IMAPTranscript.start()
        await t.send("a1 LOGIN alice@example.test wrong", last: "a1 NO [AUTHENTICATIONFAILED]")
        await t.send("a2 SELECT INBOX", last: "a2 BAD")
        await t.send("a3 LOGIN alice@example.test wrong", last: "a3 NO")
        let (directive, out) = await t.send("a4 LOGIN alice@example.test wrong")
        #expect(out.contains("a4 NO") && out.hasSuffix("* BYE Too many failed logins\r\n"))
        #expect(directive == .close)
        await t.store.stop()
    }

    @Test("AUTHENTICATE PLAIN with an initial response, and with a continuation")
    func plain() async throws {
        let t = try await IMAPTranscript.start()
        let token = Data("\0alice@example.test\0secret".utf8).base64EncodedString()
        await t.send("a1 AUTHENTICATE PLAIN \(token)", last: "a1 OK")
        let u = try await t.another()
        await u.send("b1 AUTHENTICATE PLAIN", last: "+")
        await u.send(token, last: "b1 OK")
        let v = try await t.another()
        await v.send("c1 AUTHENTICATE PLAIN", last: "+")
        await v.send("*", last: "c1 BAD")
        await v.send("c2 AUTHENTICATE CRAM-MD5", last: "c2 NO")
        await t.store.stop()
    }

    @Test("Without TLS off loopback: LOGINDISABLED, and LOGIN is refused")
    func privacy() async throws {
        let t = try await IMAPTranscript.start(plaintext: false)
        await t.send("a1 CAPABILITY", expect: ["* CAPABILITY", "a1 OK"], last: "a1 OK")
        let caps = await t.send("a2 CAPABILITY").output
        #expect(caps.contains("LOGINDISABLED") && caps.contains("STARTTLS") && !caps.contains("AUTH=PLAIN"))
        await t.send("a3 LOGIN alice@example.test secret", last: "a3 NO [PRIVACYREQUIRED]")
        let (directive, _) = await t.send("a4 STARTTLS")
        #expect(directive == .startTLS(tag: "a4"))
        await t.store.stop()
    }

    @Test("Past the per-account limit a login is NO [LIMIT]")
    func perUserLimit() async throws {
        let users = UserConnections(limit: 1)
        let t = try await IMAPTranscript.start(users: users)
        await t.login()
        let u = try await IMAPTranscript.start(store: t.store, users: users)
        await u.send("b1 LOGIN alice@example.test secret", last: "b1 NO [LIMIT]")
        await t.send("a2 LOGOUT", expect: ["* BYE"], last: "a2 OK")
        await t.close()
        await u.send("b2 LOGIN alice@example.test secret", last: "b2 OK")
        await t.store.stop()
    }
}
