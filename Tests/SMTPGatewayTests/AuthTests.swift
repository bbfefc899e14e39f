import Foundation
import SASL
import SMTPProtocol
import TestSupport
import Testing

@testable import SMTPGateway

@Suite("AUTH")
struct AuthTests {
    func secured() -> Transcript {
        var t = Transcript(.submissions)
        t.send("EHLO c", expect: "250 ")
        return t
    }

    @Test("PLAIN with an initial response, and as a challenge")
    func plain() {
        var a = secured()
        a.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "235 2.7.0")
        a.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "503")
        var b = secured()
        b.send("AUTH PLAIN", expect: "334")
        b.send(plainAuth("bob@example.test", "secret"), expect: "235 2.7.0")
    }

    @Test("LOGIN in two steps")
    func login() {
        var t = secured()
        t.send("AUTH LOGIN", expect: "334 VXNlcm5hbWU6")
        t.send(Data("alice@example.test".utf8).base64EncodedString(), expect: "334 UGFzc3dvcmQ6")
        t.send(Data("secret".utf8).base64EncodedString(), expect: "235 2.7.0")
    }

    @Test("wrong password 535 5.7.8; three failures end the connection")
    func failures() {
        var t = secured()
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "wrong"))", expect: "535 5.7.8")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "wrong"))", expect: "535 5.7.8")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "wrong"))", expect: "421")
        #expect(t.closed)
    }

    @Test("cancel with *, garbage base64, unknown mechanism")
    func badExchanges() {
        var t = secured()
        t.send("AUTH PLAIN", expect: "334")
        t.send("*", expect: "501")
        t.send("AUTH PLAIN !!!notbase64", expect: "501")
        t.send("AUTH CRAM-MD5", expect: "504 5.5.4")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "235")
    }

    @Test("SCRAM-SHA-256: server-first, proof, server-final as a last 334, then 235")
    func scram() {
        var t = secured()
        var client = SCRAMClient(username: "alice@example.test", password: "secret")
        let first = t.send("AUTH SCRAM-SHA-256 \(SASLBase64.encode(client.clientFirst))", expect: "334 ")
        let serverFirst = String(decoding: SASLBase64.decode(first.last!.lines[0])!, as: UTF8.self)
        let final = client.clientFinal(serverFirst: serverFirst)!
        let verifier = t.send(SASLBase64.encode(final), expect: "334 ")
        #expect(client.verifies(serverFinal: String(decoding: SASLBase64.decode(verifier.last!.lines[0])!, as: UTF8.self)))
        #expect(t.session.authenticatedUser == nil)  // not before the client acknowledged
        t.send("", expect: "235 2.7.0")
        #expect(t.session.authenticatedUser == "alice@example.test")
    }

    @Test("SCRAM-SHA-256 without an initial response; a wrong password is 535 5.7.8")
    func scramWrongPassword() {
        var t = secured()
        var client = SCRAMClient(username: "alice@example.test", password: "wrong")
        t.send("AUTH SCRAM-SHA-256", expect: "334 ")
        let first = t.send(SASLBase64.encode(client.clientFirst), expect: "334 ")
        let final = client.clientFinal(serverFirst: String(decoding: SASLBase64.decode(first.last!.lines[0])!, as: UTF8.self))!
        t.send(SASLBase64.encode(final), expect: "535 5.7.8")
        t.send("AUTH SCRAM-SHA-256 \(SASLBase64.encode("p=tls-exporter,,n=a,r=b"))", expect: "535 5.7.8")  // no -PLUS
        t.send("NOOP", expect: "250")
    }

    @Test("one class of answer per fault: malformed 501 5.5.2, cancelled 501 5.0.0, authzid 535 5.7.8")
    func faultClasses() {
        var t = secured()
        t.send("AUTH PLAIN \(SASLBase64.encode("alice\0secret"))", expect: "501 5.5.2")
        t.send("AUTH PLAIN", expect: "334")  // RFC 4954 §4: a long response does not go on the AUTH line
        t.send(SASLBase64.encode("\0alice\0" + String(repeating: "x", count: 1_100)), expect: "501 5.5.2")
        t.send("AUTH PLAIN \(SASLBase64.encode([0, 0x61, 0, 0xFF]))", expect: "501 5.5.2")
        t.send("AUTH LOGIN", expect: "334")
        t.send("*", expect: "501 5.0.0")
        t.send("AUTH PLAIN \(SASLBase64.encode("bob@example.test\0alice@example.test\0secret"))", expect: "535 5.7.8")
        t.send("NOOP", expect: "250")
    }

    @Test("the MX port does not do AUTH")
    func notOnMX() {
        var t = Transcript(.mx, tls: true)
        t.send("EHLO c", expect: "250 ")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "502 5.5.1")
    }

    @Test("The driver hears of AUTH (no login deadline, never evicted after it); MX never authenticates")
    func authenticatedForTheDriver() {
        var t = secured()
        #expect(!t.session.isAuthenticated)
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "wrong"))", expect: "535 5.7.8")
        #expect(!t.session.isAuthenticated)
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "235 2.7.0")
        #expect(t.session.isAuthenticated)
        var mx = Transcript(.mx)
        mx.send("EHLO c", expect: "250 ")
        #expect(!mx.session.isAuthenticated)
    }

    @Test("Evicted at the connection limit: 421 4.7.0 and close (RFC 5321 §3.8)")
    func evicted() {
        var t = secured()
        let actions = t.session.evicted()
        let replies = t.perform(actions)
        #expect(replies.map(\.code) == [421] && text(replies[0].encoded).hasPrefix("421 4.7.0"))
        #expect(t.closed && t.session.evicted().isEmpty)
    }
}
