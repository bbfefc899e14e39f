import Foundation
import Testing

@testable import InternetMessage

@Suite("Delivery status notifications (RFC 3464)")
struct DeliveryStatusNotificationTests {
    let original = Array("From: a@example.test\r\nTo: b@far.test\r\nSubject: hello\r\n\r\nbody line\r\n".utf8)

    @Test("a failure notice parses back as multipart/report with the status, the diagnostic and the original header")
    func failure() throws {
        let dsn = DeliveryStatusNotification(
            reportingMTA: "mx.example.test", to: "a@example.test", envelopeID: "env-1", arrivalDate: Date(timeIntervalSince1970: 0),
            recipients: [
                .init(
                    finalRecipient: "b@far.test", originalRecipient: "rfc822;B@far.test", action: .failed, status: "5.1.1",
                    remoteMTA: "mx.far.test", diagnostic: "550 5.1.1 <b@far.test>: no such user\r\nsecond line")
            ],
            original: original, date: Date(timeIntervalSince1970: 100), id: "x1")
        let bytes = dsn.encode()
        let parsed = MessageParser().parse(bytes)
        #expect(parsed.root.contentType.type == "multipart" && parsed.root.contentType.subtype == "report")
        #expect(parsed.root.contentType.parameters.first { $0.name == "report-type" }?.value == "delivery-status")
        #expect(
            parsed.root.parts.map { "\($0.contentType.type)/\($0.contentType.subtype)" }
                == ["text/plain", "message/delivery-status", "text/rfc822-headers"])
        let status = String(decoding: parsed.root.parts[1].body.slice(of: bytes), as: UTF8.self)
        #expect(status.contains("Reporting-MTA: dns; mx.example.test\r\n"))
        #expect(status.contains("Original-Envelope-Id: env-1\r\n"))
        #expect(
            status.contains(
                "Final-Recipient: rfc822; b@far.test\r\nOriginal-Recipient: rfc822;B@far.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"))
        #expect(status.contains("Remote-MTA: dns; mx.far.test\r\n"))
        #expect(
            status.contains("Diagnostic-Code: smtp; 550 5.1.1 <b@far.test>: no such user  second line\r\n"),
            "line breaks cannot escape the field")
        let headers = String(decoding: parsed.root.parts[2].body.slice(of: bytes), as: UTF8.self)
        #expect(headers == "From: a@example.test\r\nTo: b@far.test\r\nSubject: hello\r\n\r\n")
        #expect(parsed.subject == "Undelivered Mail Returned to Sender")
        #expect(parsed.fields(named: "Auto-Submitted").first?.rawValue == "auto-replied")
    }

    @Test("RET=FULL returns the whole message; a delay notice says so")
    func fullAndDelay() {
        let dsn = DeliveryStatusNotification(
            reportingMTA: "mx", to: "a@example.test",
            recipients: [.init(finalRecipient: "b@far.test", action: .delayed, status: "4.4.1")],
            original: original, returnFullMessage: true)
        let bytes = dsn.encode()
        let parsed = MessageParser().parse(bytes)
        #expect(parsed.subject == "Delayed Mail (still being retried)")
        let part = parsed.root.parts[2]
        #expect(part.contentType.subtype == "rfc822")
        #expect(Array(part.body.slice(of: bytes)).starts(with: original))
    }
}
