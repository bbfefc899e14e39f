import SMTPProtocol
import StoreAPI
import TestSupport
import Testing

@testable import SMTPGateway

/// A recipient over its quota (RFC 9208 limits): `452 4.2.2` at RCPT for that recipient alone,
/// `452 4.2.2` at the end of DATA when the store refused the whole message, `552 5.2.2` for a
/// message larger than the whole quota; never `250`. RFC 3463 §3.3 (X.2.2), RFC 5321 §4.2.2
@Suite("Quota replies")
struct SMTPQuotaTests {
    @Test("RCPT to a full mailbox is 452 4.2.2; the other recipients still get the message")
    func rcptRefusedAlone() {
        var t = Transcript(.mx)
        t.store.full = ["alice@example.test"]
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<alice@example.test>", expect: "452 4.2.2")
        t.send("RCPT TO:<bob@example.test>", expect: "250 2.1.5")
        t.send("DATA", expect: "354")
        t.send("Subject: q\r\n\r\nx\r\n.", expect: "250 2.0.0")
        #expect(t.deliveries.last?.envelope.recipients.map(\.address) == ["bob@example.test"])
    }

    @Test("a full mailbox alone: no valid recipient, DATA refused")
    func onlyRecipientFull() {
        var t = Transcript(.mx)
        t.store.full = ["alice@example.test"]
        t.send("EHLO c", expect: "250 ")
        t.send("MAIL FROM:<x@remote.test>", expect: "250")
        t.send("RCPT TO:<alice@example.test>", expect: "452 4.2.2")
        t.send("DATA", expect: "554")
        #expect(t.deliveries.isEmpty)
    }

    @Test("the store refuses the message at DATA: 452 4.2.2 for over-quota, 552 5.2.2 for larger than the quota")
    func dataRefused() {
        for (code, reply) in [(APIErrorCode.overQuota, "452 4.2.2"), (.largerThanQuota, "552 5.2.2")] {
            var t = Transcript(.mx)
            t.store.refuseDeliveries = code
            t.send("EHLO c", expect: "250 ")
            t.send("MAIL FROM:<x@remote.test>", expect: "250")
            t.send("RCPT TO:<alice@example.test>", expect: "250")
            t.send("RCPT TO:<bob@example.test>", expect: "250")
            t.send("DATA", expect: "354")
            t.send("Subject: q\r\n\r\nx\r\n.", expect: reply)
            // BDAT LAST gets the same answer (RFC 3030 §2).
            t.send("MAIL FROM:<x@remote.test>", expect: "250")
            t.send("RCPT TO:<alice@example.test>", expect: "250")
            let replies = t.raw(Array("BDAT 14 LAST\r\nSubject: q\r\n\r\n".utf8))
            #expect(replies.last.map { text($0.encoded) }?.hasPrefix(reply) == true, "\(replies)")
        }
    }
}
