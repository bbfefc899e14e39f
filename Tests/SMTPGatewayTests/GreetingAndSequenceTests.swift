import SMTPProtocol
import Testing

@testable import SMTPGateway

@Suite("Greeting, EHLO and command sequence")
struct GreetingAndSequenceTests {
    @Test("the greeting is 220 and EHLO lists the extensions; MX offers STARTTLS but never AUTH")
    func mxEHLO() {
        var t = Transcript(.mx)
        #expect(t.log.first == .reply(.serviceReady("mx.example.test")))
        let reply = t.send("EHLO client.test", expect: "250 ")
        let text = String(decoding: reply[0].encoded, as: UTF8.self)
        for keyword in ["PIPELINING", "SIZE 26214400", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING", "DSN", "STARTTLS"] {
            #expect(text.contains(keyword), "missing \(keyword)")
        }
        #expect(!text.contains("AUTH"))
    }

    @Test("submission offers AUTH only after TLS; 465 offers it at once and no STARTTLS")
    func submissionEHLO() {
        var plain = Transcript(.submission)
        let before = String(decoding: plain.send("EHLO c", expect: "250 ")[0].encoded, as: UTF8.self)
        #expect(!before.contains("AUTH") && before.contains("STARTTLS"))
        plain.send("STARTTLS", expect: "220 2.0.0")
        #expect(plain.tlsStarted)
        let after = String(decoding: plain.send("EHLO c", expect: "250 ")[0].encoded, as: UTF8.self)
        #expect(after.contains("AUTH PLAIN LOGIN") && !after.contains("STARTTLS"))

        var implicit = Transcript(.submissions)
        let text = String(decoding: implicit.send("EHLO c", expect: "250 ")[0].encoded, as: UTF8.self)
        #expect(text.contains("AUTH PLAIN LOGIN") && !text.contains("STARTTLS"))
    }

    @Test("commands out of sequence get 503, unknown ones 500, and the session goes on")
    func sequence() {
        var t = Transcript(.mx)
        t.send("MAIL FROM:<a@remote.test>", expect: "503 5.5.1")
        t.send("HELO client.test", expect: "250 ")
        t.send("RCPT TO:<alice@example.test>", expect: "503 5.5.1")
        t.send("DATA", expect: "503 5.5.1")
        t.send("FROB", expect: "500 5.5.")
        t.send("MAIL FROM:<a@remote.test>", expect: "250 2.1.0")
        t.send("MAIL FROM:<a@remote.test>", expect: "503 5.5.1")
        t.send("DATA", expect: "554 5.5.1")
        t.send("RSET", expect: "250 2.0.0")
        t.send("NOOP", expect: "250")
        t.send("VRFY alice", expect: "252 2.1.5")
        t.send("HELP", expect: "214")
        t.send("QUIT", expect: "221 2.0.0")
        #expect(t.closed)
    }

    @Test("an over-long command line gets 500 5.5.6 and the next command works")
    func longLine() {
        var t = Transcript(.mx)
        t.send("EHLO " + String(repeating: "x", count: 600), expect: "500 5.5.6")
        t.send("EHLO client.test", expect: "250 ")
    }

    @Test("twenty refused commands end the session with 421")
    func tooManyErrors() {
        var t = Transcript(.mx)
        for _ in 1..<20 { t.send("BOGUS", expect: "500") }
        t.send("BOGUS", expect: "421 4.7.0")
        #expect(t.closed)
    }

    @Test("STARTTLS discards what was pipelined behind it and forgets the EHLO")
    func startTLSInjection() {
        var t = Transcript(.submission)
        t.send("EHLO c", expect: "250 ")
        let replies = t.raw(Array("STARTTLS\r\nMAIL FROM:<alice@example.test>\r\n".utf8))
        #expect(replies.map(\.code) == [220], "the injected MAIL must get no reply")
        t.send("MAIL FROM:<alice@example.test>", expect: "503 5.5.1")
    }
}
