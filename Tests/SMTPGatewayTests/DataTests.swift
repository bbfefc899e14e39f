import SMTPProtocol
import StoreAPI
import Testing

@testable import SMTPGateway

@Suite("DATA and BDAT")
struct DataTests {
    func ready(_ listener: Listener = .mx, settings: SessionSettings = SessionSettings(hostname: "mx.example.test")) -> Transcript {
        var t = Transcript(listener, settings: settings)
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<alice@example.test>", expect: "250")
        return t
    }

    /// What the store got, without the Received header the gateway put first.
    func body(_ t: Transcript) -> String {
        let text = String(decoding: t.deliveries.last?.message ?? [], as: UTF8.self)
        guard let end = text.range(of: "\r\n", options: [], range: text.range(of: "; ")!.upperBound..<text.endIndex) else { return text }
        return String(text[end.upperBound...])
    }

    @Test("dot-stuffed lines are unstuffed and the message is byte-exact after the Received header")
    func dotStuffing() {
        var t = ready()
        t.send("DATA", expect: "354")
        t.send("Subject: dots\r\n\r\n..leading dot\r\n..\r\n...\r\nend\r\n.", expect: "250 2.0.0")
        #expect(body(t) == "Subject: dots\r\n\r\n.leading dot\r\n.\r\n..\r\nend\r\n")
        #expect(
            t.deliveries.last?.message.starts(
                with: Array(
                    "Received: from c ([192.0.2.7])\r\n\tby mx.example.test (Buzon) with ESMTP id t1.1\r\n\tfor <alice@example.test>; ".utf8
                )) == true)
    }

    @Test("a whole pipelined transaction in one packet gets its replies in order")
    func pipelining() {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        let replies = t.raw(
            Array(
                "MAIL FROM:<x@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<nobody@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"
                    .utf8))
        #expect(replies.map(\.code) == [250, 250, 550, 250, 354])
        let end = t.raw(Array("Subject: p\r\n\r\nx\r\n.\r\nQUIT\r\n".utf8))
        #expect(end.map(\.code) == [250, 221])
        #expect(t.deliveries.first?.envelope.recipients.map(\.address) == ["alice@example.test", "bob@example.test"])
    }

    @Test("BDAT chunks (RFC 3030), with the chunk in the same packet as the command")
    func bdat() {
        var t = ready()
        var replies = t.raw(Array("BDAT 12\r\nSubject: c\r\n".utf8))
        #expect(replies.map(\.code) == [250])
        replies = t.raw(Array("BDAT 9 LAST\r\n\r\nhello\r\n".utf8))
        #expect(replies.map(\.code) == [250])
        #expect(body(t) == "Subject: c\r\n\r\nhello\r\n")
        t.send("DATA", expect: "503")  // the transaction is over
    }

    @Test("BDAT without a transaction: the chunk is read and thrown away, the session goes on")
    func bdatWithoutMail() {
        var t = Transcript(.mx)
        t.send("EHLO c", expect: "250 ")
        let replies = t.raw(Array("BDAT 6 LAST\r\nNOOP\r\nNOOP\r\n".utf8))
        #expect(replies.map(\.code) == [503, 250])
    }

    @Test("a message over the limit is read to its end and refused with 552 5.3.4")
    func tooBig() {
        var t = ready(settings: SessionSettings(hostname: "mx.example.test", maxMessageSize: 100))
        t.send("DATA", expect: "354")
        t.send("Subject: big\r\n\r\n" + String(repeating: "x", count: 300) + "\r\n.", expect: "552 5.3.4")
        #expect(t.deliveries.isEmpty)
        t.send("NOOP", expect: "250")
    }

    @Test("bare LF is stored as CRLF; 8-bit bytes pass unchanged")
    func bareLFAndEightBit() {
        var t = ready()
        t.send("DATA", expect: "354")
        t.raw(Array("Subject: 8bit\n\nol\u{e9}\u{e9}\r\n".utf8) + [0xff, 0xfe] + Array("\r\n.\r\n".utf8))
        let expected: [UInt8] = Array("Subject: 8bit\r\n\r\nol\u{e9}\u{e9}\r\n".utf8) + [0xff, 0xfe] + Array("\r\n".utf8)
        #expect(t.deliveries.last.map { Array($0.message.suffix(expected.count)) } == expected)
    }

    @Test("the store down after DATA: 451 4.3.0, nothing claimed, the next try is accepted")
    func storeDownAtDelivery() {
        var t = ready()
        t.send("DATA", expect: "354")
        t.store.down = true
        t.send("Subject: s\r\n\r\nx\r\n.", expect: "451 4.3.0")
        t.store.down = false
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<alice@example.test>", expect: "250")
        t.send("DATA", expect: "354")
        t.send("Subject: s\r\n\r\nx\r\n.", expect: "250 2.0.0")
    }
}
