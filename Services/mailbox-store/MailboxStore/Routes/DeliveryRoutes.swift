import Foundation
import Hummingbird
import Metrics
import ServiceKit
import StoreAPI

/// `POST /v1/deliveries?recipient=…` (local delivery) or with a `Buzon-Envelope` header
/// (sender, recipients, relay, DSN), and `Idempotency-Key`.
///
/// Answers 200 only after the commit, with a result per recipient (ARCHITECTURE.md: the
/// gateway says `250` only then).
struct DeliveryRoutes {
    let store: StoreContext

    /// Recipients one request may name; SMTP allows 100 per transaction (RFC 5321 §4.5.3.1.8).
    static let maxRecipients = 1_000

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.deliverMessage) { request, context, _ in
            let envelope = try Self.envelope(request)
            let key = request.headers[.init("Idempotency-Key")!]
            if let key, key.isEmpty || key.utf8.count > 200 {
                throw StoreError.badRequest(APIErrorCode.badRequest, "Idempotency-Key is 1 to 200 characters")
            }
            let started = ContinuousClock.now
            var message = try await store.incomingMessage(request, context: context)
            message.resend = ResendDigest(message, envelope: envelope, window: store.resendWindow)
            let result = try await store.storage.deliver(message, envelope: envelope, idempotencyKey: key)
            Timer(label: "buzon_store_delivery_seconds").recordInterval(since: started)
            Counter(label: "buzon_store_deliveries_total").increment()
            Counter(label: "buzon_store_delivered_bytes_total").increment(by: message.raw.count)
            let accounts = Set(result.recipients.flatMap { $0.deliveries.map(\.account) })
            for account in accounts { await store.changed(account) }
            return result
        }
    }

    /// The envelope from the `Buzon-Envelope` header, or local recipients from `recipient=`.
    static func envelope(_ request: Request) throws -> DeliveryEnvelope {
        let listed = request.uri.queryParameters.getAll("recipient")
        var envelope: DeliveryEnvelope
        if let header = request.headers[.init(DeliveryEnvelope.headerName)!] {
            guard listed.isEmpty else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "name recipients in the envelope or in recipient=, not both")
            }
            guard let decoded = DeliveryEnvelope(headerValue: header) else {
                throw StoreError.badRequest(APIErrorCode.invalidJSON, "the Buzon-Envelope header is not base64 of an envelope's JSON")
            }
            // As in every JSON body: no member is nullable (RouteSupport.decode).
            if let data = Data(base64Encoded: header),
                let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
                let member = RouteSupport.nullMember(json, in: decoded)
            {
                throw StoreError.badRequest(
                    APIErrorCode.invalidJSON, "\(member) is null in the Buzon-Envelope header; leave it out instead")
            }
            envelope = decoded
        } else {
            // The short form is for local delivery: every address must be one we could hold.
            envelope = DeliveryEnvelope(
                sender: "", recipients: try listed.map { EnvelopeRecipient(address: try RouteSupport.address($0)) },
                relay: false)
        }
        guard !envelope.recipients.isEmpty else {
            throw StoreError.badRequest(APIErrorCode.noRecipients, "name at least one recipient")
        }
        guard envelope.recipients.count <= Self.maxRecipients else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "at most \(Self.maxRecipients) recipients")
        }
        if !envelope.sender.isEmpty {
            guard let sender = Validation.remoteAddress(envelope.sender) else {
                throw StoreError.badRequest(APIErrorCode.invalidAddress, "the sender is not a valid mail address")
            }
            envelope.sender = sender
        }
        for i in envelope.recipients.indices {
            let raw = envelope.recipients[i].address
            // A remote local part keeps its case; the store makes local ones canonical.
            guard let address = Validation.remoteAddress(raw) else {
                throw StoreError.badRequest(APIErrorCode.invalidAddress, "not a valid mail address")
            }
            envelope.recipients[i].address = address
        }
        return envelope
    }
}
