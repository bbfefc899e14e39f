import SMTPProtocol
import StoreAPI
import Testing

@testable import QueueRelay

/// The client session from the greeting to the first MAIL: EHLO/HELO (RFC 5321 §4.1.4) and
/// STARTTLS by policy (RFC 3207).
@Suite("SMTP client session: greeting, EHLO, STARTTLS")
struct ClientSessionOpeningTests {
    static let size = OutboundMessage.content.count

    @Test("220 greeting: EHLO with our name; nothing is written before the greeting")
    func greeting() {
        var t = ClientTranscript()
        t.expect()
        #expect(t.session.state == .greeting)
        t.server("220-mx.b.test ESMTP", "220 second line of the greeting")
        t.expect(sends: "EHLO relay.example.test")
        #expect(t.session.state == .ehlo)
    }

    @Test("the greeting split at every byte gives the same")
    func greetingByteByByte() {
        var t = ClientTranscript()
        for byte in Array("220 mx.b.test ESMTP\r\n".utf8) { t.raw([byte]) }
        t.expect(sends: "EHLO relay.example.test")
    }

    @Test("554 greeting: the next host, and QUIT (RFC 5321 §3.1); 221 closes")
    func greeting554() {
        var t = ClientTranscript()
        t.server("554 5.7.1 no SMTP service here")
        t.expect(sends: "QUIT", then: [.finished])
        #expect(t.nextHostReason == "mx.b.test greeted with 554 no SMTP service here")
        #expect(t.outcome?.reusable == false)
        #expect(t.session.currentTimeout == .seconds(2))
        t.server("221 2.0.0 bye")
        t.expect(then: [.close])
    }

    @Test("421 greeting: the next host, closed without QUIT")
    func greeting421() {
        var t = ClientTranscript()
        t.server("421 4.3.2 too busy")
        t.expect(then: [.finished, .close])
        #expect(t.nextHostReason == "mx.b.test greeted with 421 too busy")
    }

    @Test("a greeting that is not SMTP is a protocol violation")
    func garbageGreeting() {
        var t = ClientTranscript()
        t.server("Welcome to my server, friend!")
        t.expect(then: [.finished, .close])
        #expect(t.nextHostReason == "mx.b.test: protocol violation: malformedLine")
    }

    @Test("EHLO refused with 500 or 502: HELO, then MAIL without parameters, RCPT one by one")
    func heloFallback() {
        for code in ["500 5.5.1 what?", "502 5.5.2 not implemented"] {
            var t = ClientTranscript()
            t.server("220 mx.b.test")
            t.expect(sends: "EHLO relay.example.test")
            t.server(code)
            t.expect(sends: "HELO relay.example.test")
            t.server("250 mx.b.test")
            t.expect(sends: "MAIL FROM:<alice@a.test>")
            #expect(t.session.capabilities == nil)
            t.server("250 ok")
            t.expect(sends: "RCPT TO:<bob@b.test>")
        }
    }

    @Test("HELO refused too: the next host, QUIT")
    func heloRefused() {
        var t = ClientTranscript()
        t.server("220 mx.b.test")
        t.server("502 no EHLO")
        t.server("550 5.7.1 go away")
        t.expect(sends: "EHLO relay.example.test", "HELO relay.example.test", "QUIT", then: [.finished])
        #expect(t.nextHostReason == "mx.b.test: protocol violation: HELO refused: go away")
    }

    @Test("421 to EHLO: the next host, closed")
    func ehlo421() {
        var t = ClientTranscript()
        t.server("220 mx.b.test")
        t.server("421 4.7.0 closing")
        t.expect(sends: "EHLO relay.example.test", then: [.finished, .close])
        #expect(t.nextHostReason == "mx.b.test: 421 4.7.0 closing")
    }

    @Test("STARTTLS offered: used even when not required; after the handshake EHLO again and its capabilities count")
    func opportunisticTLS() {
        var t = ClientTranscript()
        t.server("220 mx.b.test")
        t.server(ehlo: ["SIZE 10", "STARTTLS"])
        t.expect(sends: "EHLO relay.example.test", "STARTTLS")
        t.server("220 2.0.0 go ahead")
        t.expect(then: [.startTLS])
        #expect(t.session.state == .tlsHandshake)
        #expect(t.session.capabilities?.sizeLimit == 10)
        t.tlsEstablished()
        t.expect(sends: "EHLO relay.example.test")
        #expect(t.session.isTLS)
        #expect(t.session.capabilities == nil, "RFC 3207 §4.2: what was said before TLS is forgotten")
        // The limit of 10 octets was before TLS: now there is none, and STARTTLS is not sent twice.
        t.server(ehlo: ["PIPELINING", "STARTTLS"])
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>")
    }

    @Test("bytes after the 220 to STARTTLS, and during the handshake, are discarded (RFC 3207 §4.2)")
    func startTLSInjection() {
        var t = ClientTranscript()
        t.server("220 mx.b.test")
        t.server(ehlo: ["PIPELINING", "STARTTLS"])
        t.expect(sends: "EHLO relay.example.test", "STARTTLS")
        // An attacker's "250" in the same packet as the 220 must not answer the EHLO after TLS.
        t.server("220 2.0.0 go ahead", "250-mx.b.test", "250 SIZE 5")
        t.raw(Array("250 injected during the handshake\r\n".utf8))
        t.expect(then: [.startTLS])
        t.tlsEstablished()
        t.expect(sends: "EHLO relay.example.test")
        #expect(t.session.state == .ehlo)
        t.server(ehlo: ["PIPELINING"])
        #expect(t.session.capabilities?.sizeLimit == nil)
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>")
    }

    @Test("STARTTLS refused, TLS opportunistic: on in plaintext")
    func startTLSRefusedOpportunistic() {
        var t = ClientTranscript()
        t.server("220 mx.b.test")
        t.server(ehlo: ["STARTTLS"])
        t.server("454 4.7.0 TLS not available")
        t.expect(sends: "EHLO relay.example.test", "STARTTLS", "MAIL FROM:<alice@a.test> SIZE=\(Self.size)")
        #expect(!t.session.isTLS)
    }

    @Test("STARTTLS refused where verified TLS is required: the next host, QUIT")
    func startTLSRefusedRequired() {
        var t = ClientTranscript(tls: .requireVerified)
        t.server("220 mx.b.test")
        t.server(ehlo: ["STARTTLS"])
        t.server("454 4.7.0 TLS not available")
        t.expect(sends: "EHLO relay.example.test", "STARTTLS", "QUIT", then: [.finished])
        #expect(t.nextHostReason == "mx.b.test refused STARTTLS: TLS not available")
    }

    @Test("STARTTLS not offered where it is required, after EHLO or HELO: the next host, QUIT")
    func startTLSNotOffered() {
        var t = ClientTranscript(tls: .requireVerified)
        t.server("220 mx.b.test")
        t.server(ehlo: ["PIPELINING"])
        t.expect(sends: "EHLO relay.example.test", "QUIT", then: [.finished])
        #expect(t.nextHostReason == "mx.b.test does not offer STARTTLS, which policy requires")

        var helo = ClientTranscript(tls: .requireVerified)
        helo.server("220 mx.b.test")
        helo.server("500 unknown")
        helo.server("250 mx.b.test")
        helo.expect(sends: "EHLO relay.example.test", "HELO relay.example.test", "QUIT", then: [.finished])
        #expect(helo.nextHostReason == "mx.b.test does not offer STARTTLS, which policy requires")
    }

    @Test("required TLS, offered and established: the message goes on")
    func requiredTLS() {
        var t = ClientTranscript(tls: .requireVerified)
        t.server("220 mx.b.test")
        t.server(ehlo: ["STARTTLS"])
        t.server("220 ready")
        t.tlsEstablished()
        t.server(ehlo: ["8BITMIME"])
        t.expect(
            sends: "EHLO relay.example.test", "STARTTLS", "EHLO relay.example.test", "MAIL FROM:<alice@a.test> SIZE=\(Self.size)",
            then: [.startTLS])
    }

    @Test("the TLS handshake fails, or the server hangs up in it: the next host, no library text")
    func tlsFails() {
        var t = ClientTranscript(tls: .requireVerified)
        t.server("220 mx.b.test")
        t.server(ehlo: ["STARTTLS"])
        t.server("220 ready")
        t.connectionLost(.tls)
        t.expect(sends: "EHLO relay.example.test", "STARTTLS", then: [.startTLS, .finished, .close])
        #expect(t.nextHostReason == "mx.b.test: TLS handshake failed")

        var hangUp = ClientTranscript()
        hangUp.server("220 mx.b.test")
        hangUp.server(ehlo: ["STARTTLS"])
        hangUp.server("220 ready")
        hangUp.connectionLost(.closedByPeer)
        #expect(hangUp.nextHostReason == "mx.b.test: connection closed during the TLS handshake")
    }

    @Test("421 to STARTTLS: the next host, closed")
    func startTLS421() {
        var t = ClientTranscript()
        t.server("220 mx.b.test")
        t.server(ehlo: ["STARTTLS"])
        t.server("421 4.3.0 bye")
        t.expect(sends: "EHLO relay.example.test", "STARTTLS", then: [.finished, .close])
        #expect(t.nextHostReason == "mx.b.test: 421 4.3.0 bye")
    }

    @Test("opened without a message: idle after EHLO, nothing more written")
    func openOnly() {
        var t = ClientTranscript(nil)
        t.server("220 mx.b.test")
        t.server(ehlo: ["PIPELINING"])
        t.expect(sends: "EHLO relay.example.test")
        #expect(t.session.isIdle && t.outcome == nil)
    }
}
