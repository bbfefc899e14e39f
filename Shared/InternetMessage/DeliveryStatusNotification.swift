import Foundation

/// A delivery status notification (RFC 3464) in a `multipart/report` (RFC 6522): the notice a
/// sender gets when a message could not be delivered, is delayed, or was delivered and they
/// asked to know (RFC 3461 NOTIFY).
///
/// Three parts: a human-readable explanation, `message/delivery-status` with one field group
/// per recipient, and the original message's header (`text/rfc822-headers`) or, with
/// `RET=FULL`, the whole message (`message/rfc822`).
public struct DeliveryStatusNotification: Sendable {
    public struct Recipient: Sendable {
        /// RFC 3464 §2.3.3 Action.
        public enum Action: String, Sendable {
            case failed, delayed, delivered, relayed, expanded
        }
        public var finalRecipient: String
        /// ORCPT as given (`rfc822;user@example.org`), RFC 3461 §4.2.
        public var originalRecipient: String?
        public var action: Action
        /// RFC 3463 status code, `5.1.1`.
        public var status: String
        public var remoteMTA: String?
        /// The remote server's reply or our own reason.
        public var diagnostic: String?
        public var lastAttempt: Date?

        public init(
            finalRecipient: String, originalRecipient: String? = nil, action: Action, status: String,
            remoteMTA: String? = nil, diagnostic: String? = nil, lastAttempt: Date? = nil
        ) {
            self.finalRecipient = finalRecipient
            self.originalRecipient = originalRecipient
            self.action = action
            self.status = status
            self.remoteMTA = remoteMTA
            self.diagnostic = diagnostic
            self.lastAttempt = lastAttempt
        }
    }

    public var reportingMTA: String
    /// The address the notice goes to: the original envelope sender.
    public var to: String
    public var envelopeID: String?
    public var arrivalDate: Date?
    public var recipients: [Recipient]
    public var original: [UInt8]
    /// RFC 3461 §4.3 RET=FULL: return the whole message, not only its header.
    public var returnFullMessage: Bool
    public var date: Date
    /// Unique, for the boundary and Message-ID.
    public var id: String

    public init(
        reportingMTA: String, to: String, envelopeID: String? = nil, arrivalDate: Date? = nil, recipients: [Recipient],
        original: [UInt8], returnFullMessage: Bool = false, date: Date = Date(), id: String = UUID().uuidString.lowercased()
    ) {
        self.reportingMTA = reportingMTA
        self.to = to
        self.envelopeID = envelopeID
        self.arrivalDate = arrivalDate
        self.recipients = recipients
        self.original = original
        self.returnFullMessage = returnFullMessage
        self.date = date
        self.id = id
    }

    public func encode() -> [UInt8] {
        let boundary = "=_dsn_\(id)"
        let failed = recipients.contains { $0.action == .failed }
        let delayed = recipients.contains { $0.action == .delayed }
        let subject =
            failed
            ? "Undelivered Mail Returned to Sender"
            : delayed ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report"
        var text = """
            From: Mail Delivery System <MAILER-DAEMON@\(reportingMTA)>\r
            To: <\(Self.line(to))>\r
            Subject: \(subject)\r
            Date: \(Self.date(date))\r
            Message-ID: <dsn-\(id)@\(reportingMTA)>\r
            Auto-Submitted: auto-replied\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="\(boundary)"\r
            \r
            This is a MIME-encapsulated delivery status notification.\r
            \r
            --\(boundary)\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(explanation())\r
            --\(boundary)\r
            Content-Type: message/delivery-status\r
            \r

            """
        // RFC 3464 §2.2 per-message fields, then §2.3 a group per recipient.
        text += "Reporting-MTA: dns; \(Self.line(reportingMTA))\r\n"
        if let envelopeID { text += "Original-Envelope-Id: \(Self.line(envelopeID))\r\n" }
        if let arrivalDate { text += "Arrival-Date: \(Self.date(arrivalDate))\r\n" }
        for r in recipients {
            text += "\r\n"
            text += "Final-Recipient: \(Self.addressType(r.finalRecipient)); \(Self.line(r.finalRecipient))\r\n"
            if let original = r.originalRecipient { text += "Original-Recipient: \(Self.line(original))\r\n" }
            text += "Action: \(r.action.rawValue)\r\n"
            text += "Status: \(Self.line(r.status))\r\n"
            if let mta = r.remoteMTA { text += "Remote-MTA: dns; \(Self.line(mta))\r\n" }
            if let diagnostic = r.diagnostic { text += "Diagnostic-Code: smtp; \(Self.line(diagnostic))\r\n" }
            if let last = r.lastAttempt { text += "Last-Attempt-Date: \(Self.date(last))\r\n" }
        }
        text += "\r\n--\(boundary)\r\n"
        var bytes = Array(text.utf8)
        if returnFullMessage {
            bytes += Array("Content-Type: message/rfc822\r\n\r\n".utf8) + original
            if original.last != UInt8(ascii: "\n") { bytes += Array("\r\n".utf8) }
        } else {
            bytes += Array("Content-Type: text/rfc822-headers\r\n\r\n".utf8) + Self.header(of: original)
        }
        // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter, not the part.
        bytes += Array("\r\n--\(boundary)--\r\n".utf8)
        return bytes
    }

    private func explanation() -> String {
        var lines: [String] = []
        if recipients.contains(where: { $0.action == .failed }) {
            lines.append("This is the mail system at \(reportingMTA).")
            lines.append("")
            lines.append("Your message could not be delivered to one or more recipients. It is attached below.")
        } else if recipients.contains(where: { $0.action == .delayed }) {
            lines.append("This is the mail system at \(reportingMTA).")
            lines.append("")
            lines.append("Your message has not been delivered yet. It will be tried again; you do not need to send it again.")
        } else {
            lines.append("Your message was delivered to the recipients below.")
        }
        lines.append("")
        for r in recipients {
            var line = "<\(Self.line(r.finalRecipient))>: \(r.action.rawValue), status \(Self.line(r.status))"
            if let diagnostic = r.diagnostic { line += "; \(Self.line(diagnostic))" }
            if let mta = r.remoteMTA { line += " (from \(Self.line(mta)))" }
            lines.append(line)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 6533: `utf-8` address type for a non-ASCII address.
    static func addressType(_ address: String) -> String {
        address.utf8.allSatisfy { $0 < 0x80 } ? "rfc822" : "utf-8"
    }

    /// One header line: no line breaks from a remote reply can break the structure.
    static func line(_ s: String) -> String {
        String(s.unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0.value < 0x20 ? " " : Character($0) }.prefix(998))
    }

    /// The header block of a message, up to and including its blank line.
    static func header(of message: [UInt8]) -> [UInt8] {
        var i = 0
        while i < message.count {
            if message[i] == UInt8(ascii: "\n") {
                let next = i + 1
                if next < message.count, message[next] == UInt8(ascii: "\n") { return Array(message[...next]) }
                if next + 1 < message.count, message[next] == UInt8(ascii: "\r"), message[next + 1] == UInt8(ascii: "\n") {
                    return Array(message[...(next + 1)])
                }
            }
            i += 1
        }
        return message + (message.last == UInt8(ascii: "\n") ? [] : Array("\r\n".utf8))
    }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
