import SMTPProtocol
import StoreAPI
import Testing

@testable import QueueRelay

/// The client session's mail transactions: PIPELINING (RFC 2920), the parameters a message
/// needs (RFC 1870, 6152, 6531, 3461), every reply of MAIL, RCPT, DATA and the content, and
/// 452 "too many recipients" (RFC 5321 §4.5.3.1.10).
@Suite("SMTP client session: transactions")
struct ClientSessionTransactionTests {
    static let size = OutboundMessage.content.count
    static let standard = ["PIPELINING", "SIZE 52428800", "8BITMIME", "ENHANCEDSTATUSCODES"]
    static let three = OutboundMessage.make(["r1@b.test", "r2@b.test", "r3@b.test"])

    @Test("PIPELINING: MAIL and every RCPT in one write, the replies in one read; DATA, the content, 250")
    func pipelined() {
        var t = ClientTranscript.opened(Self.standard, message: Self.three)
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>")
        #expect(t.session.currentTimeout == .seconds(300))
        t.server("250 2.1.0 ok", "250 2.1.5 ok", "250 2.1.5 ok", "250 2.1.5 ok")
        t.expect(sends: "DATA")
        #expect(t.session.currentTimeout == .seconds(120), "RFC 5321 §4.5.3.2.4")
        t.server("354 go ahead")
        t.expect(then: [.sendBody])
        #expect(t.session.currentTimeout == .seconds(180), "RFC 5321 §4.5.3.2.5")
        t.bodySent()
        #expect(t.session.currentTimeout == .seconds(600), "RFC 5321 §4.5.3.2.6")
        t.server("250 2.0.0 queued as 1234")
        t.expect(then: [.finished])
        #expect(t.outcome?.reusable == true)
        #expect(t.session.isIdle)
        for address in ["r1@b.test", "r2@b.test", "r3@b.test"] {
            #expect(
                t.outcomes[address]
                    == RecipientOutcome(
                        address: address, outcome: .delivered, status: "2.0.0",
                        diagnostic: "250 2.0.0 queued as 1234", remoteMTA: "mx.b.test",
                        notifyPassedOn: false))
        }
    }

    @Test("pipelined replies arriving a byte at a time are matched in order")
    func pipelinedChunks() {
        var t = ClientTranscript.opened(Self.standard, message: Self.three)
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>")
        for byte in Array("250 ok\r\n550 5.1.1 no r1\r\n250 ok\r\n451 4.3.0 later\r\n".utf8) { t.raw([byte]) }
        t.expect(sends: "DATA")
        t.server("354 go")
        t.bodySent()
        t.server("250 2.0.0 ok")
        t.expect(then: [.sendBody, .finished])
        #expect(t.outcomes["r1@b.test"]?.outcome == .failed && t.outcomes["r1@b.test"]?.status == "5.1.1")
        #expect(t.outcomes["r2@b.test"]?.outcome == .delivered)
        #expect(t.outcomes["r3@b.test"]?.outcome == .deferred && t.outcomes["r3@b.test"]?.diagnostic == "451 4.3.0 later")
    }

    @Test("without PIPELINING: MAIL, then one RCPT after another, a refused one in between")
    func lockstep() {
        var t = ClientTranscript.opened(["8BITMIME"], message: Self.three)
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)")
        t.server("250 ok")
        t.expect(sends: "RCPT TO:<r1@b.test>")
        t.server("250 ok")
        t.expect(sends: "RCPT TO:<r2@b.test>")
        t.server("550 no such user")
        t.expect(sends: "RCPT TO:<r3@b.test>")
        t.server("250 ok")
        t.expect(sends: "DATA")
        t.server("354 go")
        t.bodySent()
        t.server("250 ok")
        t.expect(then: [.sendBody, .finished])
        #expect(
            t.outcomes["r2@b.test"]
                == RecipientOutcome(
                    address: "r2@b.test", outcome: .failed, status: "5.1.1",
                    diagnostic: "550 no such user", remoteMTA: "mx.b.test"))
        #expect(t.outcomes["r1@b.test"]?.status == "2.0.0" && t.outcomes["r3@b.test"]?.outcome == .delivered)
    }

    @Test("BODY, SMTPUTF8 and SIZE as the message needs; DSN parameters only to a server that speaks DSN")
    func parameters() {
        let entry = QueueEntry.make(
            sender: "alice@a.test", recipients: ["ok@b.test", "never@b.test"], body: "8BITMIME", smtputf8: true,
            ret: "HDRS", envid: "env-1", notify: ["ok@b.test": ["SUCCESS", "FAILURE"], "never@b.test": ["NEVER"]],
            orcpt: ["ok@b.test": "rfc822;Original@a.test"])
        let message = OutboundMessage.make([], entry: entry)
        var dsn = ClientTranscript.opened(Self.standard + ["SMTPUTF8", "DSN"], message: message)
        dsn.expect(
            sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size) BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=env-1\n"
                + "RCPT TO:<ok@b.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Original@a.test\nRCPT TO:<never@b.test> NOTIFY=NEVER")
        dsn.server("250 ok", "250 ok", "250 ok", "354 go")
        dsn.bodySent()
        dsn.server("250 ok")
        #expect(dsn.outcomes["ok@b.test"]?.notifyPassedOn == true, "RFC 3461 §5.2.1: the next hop took NOTIFY over")

        var plain = ClientTranscript.opened(Self.standard + ["SMTPUTF8"], message: message)
        plain.expect(
            sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size) BODY=8BITMIME SMTPUTF8\n"
                + "RCPT TO:<ok@b.test>\nRCPT TO:<never@b.test>")
    }

    @Test("the null sender and a quoted local part travel as given")
    func paths() {
        let entry = QueueEntry.make(sender: "", recipients: ["\"john doe\"@b.test"])
        var t = ClientTranscript.opened(["PIPELINING"], message: .make([], entry: entry))
        t.expect(sends: "MAIL FROM:<> SIZE=\(Self.size)\nRCPT TO:<\"john doe\"@b.test>")
    }

    @Test("over the server's SIZE: failed 5.3.4 at once, nothing sent, the session stays usable (RFC 1870 §6)")
    func tooBig() {
        var t = ClientTranscript.opened(["PIPELINING", "SIZE 10"])
        t.expect(then: [.finished])
        let reason = "mx.b.test takes messages up to 10 octets; this one has \(Self.size)"
        #expect(
            t.outcomes["bob@b.test"]
                == RecipientOutcome(
                    address: "bob@b.test", outcome: .failed, status: "5.3.4",
                    diagnostic: reason, remoteMTA: "mx.b.test"))
        #expect(t.outcome?.reusable == true && t.session.isIdle)
    }

    @Test("SMTPUTF8 needed and not offered: failed 5.6.7 (RFC 6531 §3.5)")
    func smtputf8Missing() {
        var t = ClientTranscript.opened(Self.standard, message: .make([], entry: .make(recipients: ["bob@b.test"], smtputf8: true)))
        t.expect(then: [.finished])
        #expect(t.outcomes["bob@b.test"]?.status == "5.6.7" && t.outcomes["bob@b.test"]?.outcome == .failed)
    }

    @Test("8-bit content with BODY=8BITMIME to a server without 8BITMIME: failed 5.6.3; 7-bit content goes (RFC 6152 §3)")
    func eightBit() {
        let entry = QueueEntry.make(recipients: ["bob@b.test"], body: "8BITMIME")
        let content = Array("Subject: é\r\n\r\nà\r\n".utf8)
        var eight = ClientTranscript.opened(["PIPELINING"], message: .make([], entry: entry, content: content))
        eight.expect(then: [.finished])
        #expect(eight.outcomes["bob@b.test"]?.status == "5.6.3")

        var seven = ClientTranscript.opened(["PIPELINING"], message: .make([], entry: entry))
        seven.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size) BODY=8BITMIME\nRCPT TO:<bob@b.test>")
    }

    @Test("4xx to MAIL: RSET, every recipient deferred with that reply; the session stays usable")
    func mail4xx() {
        var t = ClientTranscript.opened(Self.standard, message: Self.three)
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>")
        t.server("451 4.7.1 greylisted", "503 5.5.1 MAIL first", "503 5.5.1 MAIL first", "503 5.5.1 MAIL first")
        t.expect(sends: "RSET")
        #expect(t.session.state == .reset)
        t.server("250 2.0.0 reset")
        t.expect(then: [.finished])
        #expect(t.outcomes.count == 3)
        #expect(t.outcomes.values.allSatisfy { $0.outcome == .deferred && $0.diagnostic == "451 4.7.1 greylisted" && $0.status == "4.7.1" })
        #expect(t.outcome?.reusable == true)
    }

    @Test("5xx to MAIL: no RSET, every recipient failed, 5.1.7 when the reply has no enhanced code")
    func mail5xx() {
        var t = ClientTranscript.opened(["PIPELINING"], message: Self.three)
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>")
        t.server("553 sender refused")
        #expect(t.session.state == .rcpt, "the RCPT replies are still to come")
        t.server("503 no", "503 no", "503 no")
        t.expect(then: [.finished])
        #expect(t.outcomes.values.allSatisfy { $0.outcome == .failed && $0.status == "5.1.7" && $0.diagnostic == "553 sender refused" })

        var lockstep = ClientTranscript.opened([], message: Self.three)
        lockstep.server("550 5.7.1 no")
        lockstep.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)", then: [.finished])
        #expect(lockstep.outcomes.count == 3)
    }

    @Test("every recipient refused: RSET, no DATA")
    func allRefused() {
        var t = ClientTranscript.opened(Self.standard, message: .make(["r1@b.test", "r2@b.test"]))
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>")
        t.server("250 ok", "550 5.1.1 unknown", "450 4.2.1 mailbox busy")
        t.expect(sends: "RSET")
        t.server("250 ok")
        t.expect(then: [.finished])
        #expect(t.outcomes["r1@b.test"]?.outcome == .failed && t.outcomes["r2@b.test"]?.outcome == .deferred)
        #expect(t.outcomes["r2@b.test"]?.status == "4.2.1")
    }

    @Test("DATA refused: the accepted recipients get that reply (5.3.0 without an enhanced code), then RSET")
    func dataRefused() {
        var t = ClientTranscript.opened(["PIPELINING"], message: .make(["r1@b.test", "r2@b.test"]))
        t.server("250 ok", "250 ok", "550 5.1.1 unknown")
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>", "DATA")
        t.server("554 no valid recipients")
        t.expect(sends: "RSET")
        t.server("250 ok")
        t.expect(then: [.finished])
        #expect(
            t.outcomes["r1@b.test"]
                == RecipientOutcome(
                    address: "r1@b.test", outcome: .failed, status: "5.3.0",
                    diagnostic: "554 no valid recipients", remoteMTA: "mx.b.test"))
        #expect(t.outcomes["r2@b.test"]?.status == "5.1.1")
    }

    @Test("a 2xx to DATA is not a 354: protocol violation, nothing counts as delivered")
    func dataAnswered250() {
        var t = ClientTranscript.opened(["PIPELINING"])
        t.server("250 ok", "250 ok", "250 ok")
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "DATA", then: [.finished, .close])
        #expect(t.nextHostReason == "mx.b.test: protocol violation: 250 ok to DATA")
    }

    @Test("the reply to the content: 4xx deferred, 5xx failed")
    func contentRefused() {
        for (reply, outcome, status) in [
            ("451 4.3.0 try later", RecipientOutcome.Outcome.deferred, "4.3.0"),
            ("554 5.6.0 content rejected", .failed, "5.6.0"), ("552 too big", .failed, "5.3.0"),
        ] {
            var t = ClientTranscript.opened(["PIPELINING"])
            t.server("250 ok", "250 ok", "354 go")
            t.bodySent()
            t.server(reply)
            t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "DATA", then: [.sendBody, .finished])
            #expect(t.outcomes["bob@b.test"]?.outcome == outcome && t.outcomes["bob@b.test"]?.status == status, "\(reply)")
            #expect(t.outcomes["bob@b.test"]?.notifyPassedOn == nil)
            #expect(t.outcome?.reusable == true)
        }
    }

    @Test("a reply that arrives while the content is written answers it once it is written")
    func replyDuringContent() {
        var t = ClientTranscript.opened(["PIPELINING"])
        t.server("250 ok", "250 ok", "354 go")
        t.server("554 5.7.0 stop sending")
        #expect(t.session.state == .body)
        t.bodySent()
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "DATA", then: [.sendBody, .finished])
        #expect(t.outcomes["bob@b.test"]?.status == "5.7.0")
    }

    @Test("452 4.5.3 too many recipients: the rest in a second transaction on the same connection")
    func tooManyRecipients() {
        var t = ClientTranscript.opened(Self.standard, message: Self.three)
        t.server("250 ok", "250 ok", "452 4.5.3 too many recipients", "452 4.5.3 too many recipients")
        t.server("354 go")
        t.bodySent()
        t.server("250 2.0.0 first")
        t.expect(
            sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>",
            "DATA", "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r2@b.test>\nRCPT TO:<r3@b.test>", then: [.sendBody])
        #expect(t.outcome == nil)
        t.server("250 ok", "250 ok", "250 ok", "354 go")
        t.bodySent()
        t.server("250 2.0.0 second")
        t.expect(sends: "DATA", then: [.sendBody, .finished])
        #expect(t.outcomes["r1@b.test"]?.diagnostic == "250 2.0.0 first")
        #expect(t.outcomes["r2@b.test"]?.diagnostic == "250 2.0.0 second" && t.outcomes["r3@b.test"]?.outcome == .delivered)
        #expect(t.outcome?.reusable == true)
    }

    @Test("452 4.5.3 before anyone was accepted is an ordinary 4xx: deferred, no second transaction")
    func tooManyFirst() {
        var t = ClientTranscript.opened(Self.standard, message: .make(["r1@b.test", "r2@b.test"]))
        t.server("250 ok", "452 4.5.3 too many recipients", "250 ok")
        t.server("354 go")
        t.bodySent()
        t.server("250 ok")
        t.expect(
            sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<r1@b.test>\nRCPT TO:<r2@b.test>", "DATA",
            then: [.sendBody, .finished])
        #expect(t.outcomes["r1@b.test"]?.outcome == .deferred && t.outcomes["r1@b.test"]?.status == "4.5.3")
        #expect(t.outcomes["r2@b.test"]?.outcome == .delivered)
    }

    @Test("a kept session takes the next message at once: MAIL without a new greeting or EHLO")
    func nextMessage() {
        var t = ClientTranscript.opened(Self.standard)
        t.server("250 ok", "250 ok", "354 go")
        t.bodySent()
        t.server("250 ok")
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<bob@b.test>", "DATA", then: [.sendBody, .finished])
        t.deliver(.make(["carol@b.test"]))
        t.expect(sends: "MAIL FROM:<alice@a.test> SIZE=\(Self.size)\nRCPT TO:<carol@b.test>")
        t.server("250 ok", "250 ok", "354 go")
        t.bodySent()
        t.server("250 2.0.0 again")
        t.expect(sends: "DATA", then: [.sendBody, .finished])
        #expect(t.outcomes["carol@b.test"]?.diagnostic == "250 2.0.0 again")
    }
}
