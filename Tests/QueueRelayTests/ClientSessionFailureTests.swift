import SMTPProtocol
import StoreAPI
import Testing

@testable import QueueRelay

/// The client session when things go wrong: 421 at any step (RFC 5321 §3.8), every step's
/// timeout (RFC 5321 §4.5.3.2), a server that closes early or sends what is not SMTP, and the
/// end of a kept session (QUIT).
@Suite("SMTP client session: 421, timeouts, early close, QUIT")
struct ClientSessionFailureTests {
    static let size = OutboundMessage.content.count
    static let standard = ["PIPELINING", "SIZE 52428800", "8BITMIME", "ENHANCEDSTATUSCODES"]

    /// A session whose first transaction (r1, r2 accepted; r3 left over by 452) was delivered,
    /// and whose second transaction for r3 has been sent.
    static func secondTransaction() -> ClientTranscript {
        var t = ClientTranscript.opened(standard, message: .make(["r1@b.test", "r2@b.test", "r3@b.test"]))
        t.server("250 ok", "250 ok", "250 ok", "452 4.5.3 too many recipients", "354 go")
        t.bodySent()
        t.server("250 2.0.0 first")
        t.expect(
            sends: "MAIL FROM:<alice@a.test> SIZE=\(size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>",
            "DATA", "MAIL FROM:<alice@a.test> SIZE=\(size)\nRCPT TO:<r3@b.test>", then: [.sendBody])
        return t
    }

    @Test("421 to MAIL or RCPT: the next host, closed without QUIT")
    func closing421() {
        var mail = ClientTranscript.opened(Self.standard)
        mail.server("421 4.3.2 shutting down")
        mail.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", then: [.finished, .close])
        #expect(mail.nextHostReason == "mx.b.test: 421 4.3.2 shutting down")
        #expect(mail.session.isClosed)

        var rcpt = ClientTranscript.opened(["8BITMIME"])
        rcpt.server("250 ok")
        rcpt.server("421 closing")
        rcpt.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)", "RCPT TO:<bob@b.test>", then: [.finished, .close])
        #expect(rcpt.nextHostReason == "mx.b.test: 421 closing")
    }

    @Test("421 to DATA or after the content: nothing counts as delivered, the next host")
    func closing421Data() {
        var data = ClientTranscript.opened(["PIPELINING"])
        data.server("250 ok", "250 ok", "421 4.4.2 bye")
        #expect(data.nextHostReason == "mx.b.test: 421 4.4.2 bye")

        var end = ClientTranscript.opened(["PIPELINING"])
        end.server("250 ok", "250 ok", "354 go")
        end.bodySent()
        end.server("421 4.4.2 bye")
        end.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "DATA", then: [.sendBody, .finished, .close])
        #expect(end.nextHostReason == "mx.b.test: 421 4.4.2 bye")
    }

    @Test("421 in a second transaction: the first one's outcomes stand, the rest deferred")
    func closing421AfterATransaction() {
        var t = Self.secondTransaction()
        t.server("421 4.3.2 shutting down")
        t.expect(then: [.finished, .close])
        #expect(t.outcomes["r1@b.test"]?.outcome == .delivered && t.outcomes["r2@b.test"]?.outcome == .delivered)
        #expect(
            t.outcomes["r3@b.test"]
                == RecipientOutcome(
                    address: "r3@b.test", outcome: .deferred, status: "4.4.2",
                    diagnostic: "mx.b.test: 421 4.3.2 shutting down", remoteMTA: "mx.b.test"))
        #expect(t.outcome?.reusable == false)
    }

    @Test("each step's timeout is RFC 5321 §4.5.3.2's, and its passing names the step")
    func timeoutsPerStep() {
        func expire(_ t: inout ClientTranscript, _ timeout: Duration, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(t.session.currentTimeout == timeout, sourceLocation: sourceLocation)
            t.timedOut()
            #expect(t.nextHostReason == "mx.b.test: timeout waiting for \(what)", sourceLocation: sourceLocation)
            #expect(t.closed && t.written.last != "QUIT\r\n", "no QUIT after a timeout", sourceLocation: sourceLocation)
        }
        var greeting = ClientTranscript()
        expire(&greeting, .seconds(300), "greeting")

        var ehlo = ClientTranscript()
        ehlo.server("220 mx.b.test")
        expire(&ehlo, .seconds(300), "reply to EHLO")

        var startTLS = ClientTranscript()
        startTLS.server("220 mx.b.test")
        startTLS.server(ehlo: ["STARTTLS"])
        expire(&startTLS, .seconds(300), "reply to STARTTLS")

        var handshake = ClientTranscript()
        handshake.server("220 mx.b.test")
        handshake.server(ehlo: ["STARTTLS"])
        handshake.server("220 go")
        expire(&handshake, .seconds(300), "TLS handshake")

        var mail = ClientTranscript.opened(["8BITMIME"])
        expire(&mail, .seconds(300), "reply to MAIL")

        var rcpt = ClientTranscript.opened(["8BITMIME"])
        rcpt.server("250 ok")
        expire(&rcpt, .seconds(300), "reply to RCPT")

        var pipelinedRcpt = ClientTranscript.opened(["PIPELINING"])
        pipelinedRcpt.server("250 ok")
        expire(&pipelinedRcpt, .seconds(300), "reply to RCPT")

        var data = ClientTranscript.opened(["PIPELINING"])
        data.server("250 ok", "250 ok")
        expire(&data, .seconds(120), "reply to DATA")

        var block = ClientTranscript.opened(["PIPELINING"])
        block.server("250 ok", "250 ok", "354 go")
        expire(&block, .seconds(180), "the content to be written")

        var end = ClientTranscript.opened(["PIPELINING"])
        end.server("250 ok", "250 ok", "354 go")
        end.bodySent()
        expire(&end, .seconds(600), "reply to the end of DATA")
    }

    @Test("BUZON_RELAY_TIMEOUT: one figure for every step, the end of DATA twice as long")
    func uniformTimeouts() {
        var t = ClientTranscript.opened(["PIPELINING"], timeouts: .uniform(.seconds(2)))
        #expect(t.session.currentTimeout == .seconds(2))
        t.server("250 ok", "250 ok")
        #expect(t.session.currentTimeout == .seconds(2), "DATA initiation")
        t.server("354 go")
        #expect(t.session.currentTimeout == .seconds(2), "a data block")
        t.bodySent()
        #expect(t.session.currentTimeout == .seconds(4), "the end of DATA")
    }

    @Test("a timeout in a second transaction keeps the first one's outcomes")
    func timeoutAfterATransaction() {
        var t = Self.secondTransaction()
        t.timedOut()
        t.expect(then: [.finished, .close])
        #expect(t.outcomes["r1@b.test"]?.outcome == .delivered)
        #expect(t.outcomes["r3@b.test"]?.outcome == .deferred && t.outcomes["r3@b.test"]?.status == "4.4.2")
        #expect(t.outcomes["r3@b.test"]?.diagnostic == "mx.b.test: timeout waiting for reply to MAIL")
    }

    @Test("RSET unanswered after a 4xx to MAIL: the 4xx stands, the session is not kept")
    func resetTimeout() {
        var t = ClientTranscript.opened(["PIPELINING"])
        t.server("451 4.7.1 later", "503 MAIL first")
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "RSET")
        #expect(t.session.currentTimeout == .seconds(300))
        t.timedOut()
        t.expect(then: [.finished, .close])
        #expect(t.outcomes["bob@b.test"]?.diagnostic == "451 4.7.1 later" && t.outcome?.reusable == false)
    }

    @Test("the server closes early: at the greeting, after EHLO, in the middle of the replies")
    func peerCloses() {
        var greeting = ClientTranscript()
        greeting.connectionLost(.closedByPeer)
        greeting.expect(then: [.finished, .close])
        #expect(greeting.nextHostReason == "mx.b.test: connection closed by the remote server")

        var ehlo = ClientTranscript()
        ehlo.server("220 mx.b.test")
        ehlo.connectionLost(.closedByPeer)
        #expect(ehlo.nextHostReason == "mx.b.test: connection closed by the remote server")

        var rcpt = ClientTranscript.opened(["PIPELINING"], message: .make(["r1@b.test", "r2@b.test"]))
        rcpt.server("250 ok", "250 ok")
        rcpt.connectionLost(.closedByPeer)
        #expect(rcpt.nextHostReason == "mx.b.test: connection closed by the remote server", "nothing ended: the next host")

        var reset = ClientTranscript.opened(["PIPELINING"])
        reset.server("250 ok", "550 5.1.1 unknown")
        reset.connectionLost(.error("Connection reset by peer (errno: 104)"))
        reset.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "RSET", then: [.finished, .close])
        #expect(reset.outcomes["bob@b.test"]?.outcome == .failed, "the transaction had ended: its 550 stands")
    }

    @Test("the server closes in a second transaction: the first one's outcomes stand")
    func peerClosesAfterATransaction() {
        var t = Self.secondTransaction()
        t.server("250 ok")
        t.connectionLost(.closedByPeer)
        #expect(t.outcomes["r2@b.test"]?.outcome == .delivered)
        #expect(t.outcomes["r3@b.test"]?.diagnostic == "mx.b.test: connection closed by the remote server")
    }

    @Test("replies that are not SMTP: malformed, inconsistent codes, over-long lines")
    func protocolViolations() {
        for (text, error) in [
            ("OK SURE\r\n", "malformedLine"), ("250-fine\r\n550 not fine\r\n", "inconsistentCode"),
            ("250 " + String(repeating: "y", count: 20_000), "lineTooLong"),
        ] {
            var t = ClientTranscript.opened(["PIPELINING"])
            t.raw(Array(text.utf8))
            t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", then: [.finished, .close])
            #expect(t.nextHostReason == "mx.b.test: protocol violation: \(error)")
        }
    }

    @Test("nothing is read or written after close")
    func afterClose() {
        var t = ClientTranscript()
        t.server("421 bye")
        t.expect(then: [.finished, .close])
        t.server("220 mx.b.test")
        t.timedOut()
        t.connectionLost(.closedByPeer)
        t.tlsEstablished()
        t.bodySent()
        t.expect()
    }

    @Test("an idle session: QUIT when asked or when its idle time passes; 221 or the QUIT timeout closes")
    func quit() {
        var asked = ClientTranscript(nil)
        asked.server("220 mx.b.test")
        asked.server(ehlo: ["PIPELINING"])
        asked.quit()
        asked.expect(sends: "EHLO relay.example.test", "QUIT")
        asked.server("221 2.0.0 bye")
        asked.expect(then: [.close])

        var idle = ClientTranscript(nil)
        idle.server("220 mx.b.test")
        idle.server(ehlo: ["PIPELINING"])
        #expect(idle.session.currentTimeout == .seconds(5))
        idle.timedOut()
        idle.expect(sends: "EHLO relay.example.test", "QUIT")
        #expect(idle.session.currentTimeout == .seconds(2))
        idle.timedOut()
        idle.expect(then: [.close])
    }

    @Test("an idle session the server ends (421, or closed) is not reused: the next message goes elsewhere")
    func idleSessionEnded() {
        var t = ClientTranscript(nil)
        t.server("220 mx.b.test")
        t.server(ehlo: ["PIPELINING"])
        t.server("421 4.4.2 idle too long")
        t.expect(sends: "EHLO relay.example.test", then: [.close])
        t.deliver(.simple)
        t.expect(then: [.finished])
        #expect(t.nextHostReason == "mx.b.test: session not ready")
    }
}
