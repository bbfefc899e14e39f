import Foundation
import SMTPProtocol
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

    @Test("the MX port does not do AUTH")
    func notOnMX() {
        var t = Transcript(.mx, tls: true)
        t.send("EHLO c", expect: "250 ")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "502 5.5.1")
    }
}
