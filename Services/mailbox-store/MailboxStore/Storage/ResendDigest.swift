import Crypto
import Foundation
import InternetMessage
import StoreAPI

/// Recognises an SMTP client's resend of a message the store already holds.
///
/// A client that got no answer, or `451` although the store had committed (the store died
/// after the commit and came back too late for the gateway's retry), sends the message again
/// in a new transaction, under a new idempotency key. RFC 5322 §3.6.4: a Message-ID is unique
/// to one message, its instances all carry the same one; with the same sender, the same
/// recipient with the same DSN parameters and the same bytes as the client sent them, it is
/// the same message to the same person, who has it already: storing it again only makes a
/// duplicate. So each recipient that already got it is answered what the first delivery
/// answered for it (`250`), and the message is stored only for the others. Per recipient,
/// because a client that lost the answer does not know which of its recipients were accepted
/// and sends to all of them again.
///
/// Only what the client sent counts: the gateway's trace fields (its `Received`, which names
/// the session and the time; on submission a `Message-ID` it filled in) are the first
/// `traceLength` bytes and are left out. A message without a Message-ID of its own is never
/// matched (a filled-in one is new each time), nor is a delivery that did not come through a
/// gateway (`traceLength` unset: mailctl, tests, the API).
struct ResendDigest: Sendable, Hashable {
    /// Per envelope recipient (its address as in the envelope), SHA-256 hex of the sender,
    /// that recipient with its DSN parameters, the other envelope parameters, the Message-ID
    /// and the client's bytes.
    var digests: [String: String]
    /// Seconds a digest is remembered (`BUZON_STORE_RESEND_WINDOW`).
    var window: Double

    /// What counts for a match, for one recipient.
    private struct Identity: Encodable {
        var envelope: DeliveryEnvelope
        var messageID: String
        var content: String
    }

    init?(_ message: IncomingMessage, envelope: DeliveryEnvelope, window: Double) {
        guard window > 0, let trace = envelope.traceLength, (0...message.raw.count).contains(trace) else { return nil }
        // RFC 5322 §3.6.4 msg-id: "<" id-left "@" id-right ">"; anything else is not trusted
        // to be unique.
        guard
            let field = message.messageIDFields.first(where: { $0.range.offset >= trace }),
            field.rawValue.hasPrefix("<"), field.rawValue.hasSuffix(">"), field.rawValue.contains("@")
        else { return nil }
        let content = SHA256.hash(data: message.raw[trace...]).hexString
        var digests: [String: String] = [:]
        for recipient in envelope.recipients where digests[recipient.address] == nil {
            var one = envelope
            one.traceLength = nil
            one.recipients = [recipient]
            guard let json = try? SQLiteStorage.canonicalJSON(Identity(envelope: one, messageID: field.rawValue, content: content))
            else { return nil }
            digests[recipient.address] = SHA256.hash(data: json).hexString
        }
        self.digests = digests
        self.window = window
    }
}

extension Sequence<UInt8> {
    fileprivate var hexString: String {
        map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

extension SHA256.Digest {
    fileprivate var hexString: String { Array(self).hexString }
}
