import SMTPProtocol
import StoreAPI
import Testing

@testable import SMTPGateway

@Suite("MAIL and RCPT: no open relay, unknown users, sender ownership")
struct RelayAndRecipientTests {
    @Test(
        "the MX port refuses every remote recipient, whatever the address tricks",
        arguments: [
            "bob@other.test", "BOB@OTHER.TEST", "bob@other.test.", "@example.test:bob@other.test",
            "bob@[127.0.0.1]", "bob@[IPv6:::1]", "\"bob@other.test\"@other.test",
        ])
    func noRelay(_ address: String) {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<\(address)>", expect: "554 5.7.1")
    }

    @Test(
        "local-looking tricks are local addresses that do not exist",
        arguments: [
            "user%other.test@example.test", "\"user@other.test\"@example.test", "nobody@example.test",
        ])
    func localTricks(_ address: String) {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<\(address)>", expect: "550 5.1.1")
    }

    @Test("local recipients in any case and with a trailing dot are taken")
    func localRecipients() {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<ALICE@EXAMPLE.TEST.>", expect: "250 2.1.5")
        t.send("RCPT TO:<team@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;team@example.test", expect: "250 2.1.5")
        t.send("DATA", expect: "354")
        t.send("Subject: hi\r\n\r\nbody\r\n.", expect: "250 2.0.0")
        let envelope = try! #require(t.deliveries.first?.envelope)
        #expect(envelope.recipients.map(\.address) == ["alice@example.test", "team@example.test"])
        #expect(envelope.recipients[1].notify == ["FAILURE", "SUCCESS"])
        #expect(envelope.recipients[1].orcpt == "rfc822;team@example.test")
        #expect(envelope.relay == false)
    }

    @Test(
        "the bare <Postmaster>, any case, is the primary domain's postmaster (RFC 5321 §4.1.1.3)", arguments: ["Postmaster", "POSTMASTER"])
    func barePostmaster(_ spelling: String) {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<>", expect: "250")
        t.send("RCPT TO:<\(spelling)>", expect: "250 2.1.5")
        t.send("DATA", expect: "354")
        t.send("Subject: hi\r\n\r\nbody\r\n.", expect: "250 2.0.0")
        #expect(t.deliveries.first?.envelope.recipients.map(\.address) == ["postmaster@example.test"])
    }

    @Test("too many recipients get 452 4.5.3")
    func tooMany() {
        var t = Transcript(.mx, settings: SessionSettings(hostname: "mx.example.test", maxRecipients: 2))
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<alice@example.test>", expect: "250")
        t.send("RCPT TO:<bob@example.test>", expect: "250")
        t.send("RCPT TO:<team@example.test>", expect: "452 4.5.3")
    }

    @Test("a declared SIZE over the limit gets 552 5.3.4; unknown parameters 555")
    func sizeAndParameters() {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test> SIZE=99999999999", expect: "552 5.3.4")
        t.send("MAIL FROM:<x@remote.test> FROBNICATE=1", expect: "555 5.5.4")
        t.send("MAIL FROM:<x@remote.test> SIZE=1000 BODY=8BITMIME", expect: "250")
    }

    @Test("submission: MAIL needs TLS, then AUTH; the sender must be the user's; remote recipients are relayed")
    func submissionRules() {
        var t = Transcript(.submission)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<alice@example.test>", expect: "530 5.7.0")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "530 5.7.0")
        t.send("STARTTLS", expect: "220")
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<alice@example.test>", expect: "530 5.7.0")
        t.send("AUTH PLAIN \(plainAuth("alice@example.test", "secret"))", expect: "235 2.7.0")
        t.send("MAIL FROM:<bob@example.test>", expect: "553 5.7.1")
        t.send("MAIL FROM:<>", expect: "553 5.7.1")
        t.send("MAIL FROM:<team@example.test>", expect: "250 2.1.0")
        t.send("RSET", expect: "250")
        t.send("MAIL FROM:<Alice@Example.Test>", expect: "250 2.1.0")
        t.send("RCPT TO:<friend@far.test>", expect: "250 2.1.5")
        t.send("DATA", expect: "354")
        t.send("Subject: out\r\n\r\nhello\r\n.", expect: "250 2.0.0")
        let (message, envelope) = try! #require(t.deliveries.first)
        #expect(envelope.relay && envelope.sender.lowercased() == "alice@example.test")
        let text = String(decoding: message, as: UTF8.self)
        #expect(
            text.hasPrefix(
                "Received: from c ([192.0.2.7])\r\n\tby mx.example.test (Buzon) with ESMTPSA id t1.1\r\n\tfor <friend@far.test>;"))
        #expect(text.contains("\r\nMessage-ID: <") && text.contains("\r\nDate: "), "submission adds what is missing")
        #expect(text.hasSuffix("Subject: out\r\n\r\nhello\r\n"))
    }

    @Test("store down: 451 4.3.0 and the session stays usable")
    func storeDown() {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.store.down = true
        t.send("RCPT TO:<alice@example.test>", expect: "451 4.3.0")
        t.send("NOOP", expect: "250")
        t.store.down = false
        t.send("RCPT TO:<alice@example.test>", expect: "250 2.1.5")
    }
}
