import Foundation
import SASL
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

    @Test("AUTHENTICATE SCRAM-SHA-256: server-first, proof, server-final as a last +, then OK")
    func scram() async throws {
        let t = try await IMAPTranscript.start()
        #expect(await t.send("a0 CAPABILITY", last: "a0 OK").contains(" AUTH=PLAIN AUTH=SCRAM-SHA-256"))
        var client = SCRAMClient(username: "alice@example.test", password: "secret")
        let first = await t.send("a1 AUTHENTICATE SCRAM-SHA-256 \(SASLBase64.encode(client.clientFirst))", last: "+ ")
        let final = client.clientFinal(serverFirst: Self.challenge(first))!
        let verifier = await t.send(SASLBase64.encode(final), last: "+ ")
        #expect(client.verifies(serverFinal: Self.challenge(verifier)))
        await t.send("", last: "a1 OK [CAPABILITY")
        await t.send("a2 SELECT INBOX", last: "a2 OK")

        let u = try await t.another()
        var wrong = SCRAMClient(username: "alice@example.test", password: "wrong")
        await u.send("b1 AUTHENTICATE SCRAM-SHA-256", last: "+ ")
        let challenge = await u.send(SASLBase64.encode(wrong.clientFirst), last: "+ ")
        await u.send(SASLBase64.encode(wrong.clientFinal(serverFirst: Self.challenge(challenge))!), last: "b1 NO [AUTHENTICATIONFAILED]")
        await u.send("b2 NOOP", last: "b2 OK")
        await t.close()
        await t.store.stop()
    }

    @Test("One class of answer per fault: malformed and cancelled BAD, authzid NO [AUTHORIZATIONFAILED]")
    func faultClasses() async throws {
        let t = try await IMAPTranscript.start(maxLoginFailures: 10)
        await t.send("a1 AUTHENTICATE PLAIN \(SASLBase64.encode("alice\0secret"))", last: "a1 BAD")
        await t.send("a2 AUTHENTICATE PLAIN \(SASLBase64.encode("\0alice\0" + String(repeating: "x", count: 1_100)))", last: "a2 BAD")
        await t.send("a3 AUTHENTICATE PLAIN \(SASLBase64.encode([0, 0x61, 0, 0xFF]))", last: "a3 BAD")
        await t.send("a4 AUTHENTICATE PLAIN", last: "+")
        await t.send("!!!", last: "a4 BAD")
        await t.send(
            "a5 AUTHENTICATE PLAIN \(SASLBase64.encode("bob@example.test\0alice@example.test\0secret"))",
            last: "a5 NO [AUTHORIZATIONFAILED]")
        await t.send("a6 LOGIN alice@example.test secret", last: "a6 OK")
        await t.close()
        await t.store.stop()
    }

    static func challenge(_ output: String) -> String {
        let line = output.components(separatedBy: "\r\n").first { $0.hasPrefix("+ ") } ?? ""
        return String(decoding: SASLBase64.decode(String(line.dropFirst(2)))!, as: UTF8.self)
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
