import Foundation
import InternetMessage
import MessageSearch
import StoreAPI

/// Writes the delivery status notifications (RFC 3464) the store sends when the relay reports
/// outcomes: what the sender asked for with NOTIFY (RFC 3461 §4.1; without NOTIFY, failures
/// and delays), never to the null sender (a bounce is never bounced), never for NOTIFY=NEVER.
public struct NoticeWriter: Sendable {
    let reportingMTA: String
    let parser = MessageParser()

    public init(reportingMTA: String) {
        self.reportingMTA = reportingMTA
    }

    /// Whether `recipient`'s NOTIFY asks for a notice of `action`.
    static func wants(_ action: DeliveryStatusNotification.Recipient.Action, _ notify: [String]?) -> Bool {
        guard let notify else { return action == .failed || action == .delayed }
        if notify.contains("NEVER") { return false }
        switch action {
        case .failed: return notify.contains("FAILURE")
        case .delayed: return notify.contains("DELAY")
        case .delivered, .relayed: return notify.contains("SUCCESS")
        case .expanded: return false
        }
    }

    /// The notice as a message ready for delivery, or nil when nobody is to be told.
    func notice(for entry: QueueEntry, recipients: [DeliveryStatusNotification.Recipient], original: [UInt8]) -> IncomingMessage? {
        guard !entry.sender.isEmpty, !recipients.isEmpty else { return nil }
        let dsn = DeliveryStatusNotification(
            reportingMTA: reportingMTA, to: entry.sender, envelopeID: entry.envid,
            arrivalDate: Date(timeIntervalSince1970: entry.createdAt), recipients: recipients, original: original,
            returnFullMessage: entry.ret == "FULL")
        let raw = dsn.encode()
        let parsed = parser.parse(raw)
        let json = (try? JSONEncoder().encode(parsed)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return IncomingMessage(
            raw: raw, parseJSON: json, headerSize: parsed.header.length, fingerprint: StoreContext.fingerprint(raw),
            index: MessageIndexEntry(raw: raw, parse: parsed))
    }
}
