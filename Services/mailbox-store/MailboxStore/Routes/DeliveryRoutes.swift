import Hummingbird
import Metrics
import StoreAPI

/// `POST /v1/deliveries?recipient=…&recipient=…` with `Idempotency-Key`: local delivery.
///
/// Answers 200 only after the commit, with a result per recipient (ARCHITECTURE.md: the
/// gateway says `250` only then).
struct DeliveryRoutes {
    let store: StoreContext

    /// Recipients one request may name; SMTP allows 100 per transaction (RFC 5321 §4.5.3.1.8).
    static let maxRecipients = 1_000

    func add(to router: Router<StoreRequestContext>) {
        router.post("v1/deliveries") { request, context -> Response in
            let raw = request.uri.queryParameters.getAll("recipient")
            guard !raw.isEmpty else {
                throw StoreError.badRequest(APIErrorCode.noRecipients, "name at least one recipient=")
            }
            guard raw.count <= Self.maxRecipients else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "at most \(Self.maxRecipients) recipients")
            }
            let recipients = try raw.map(RouteSupport.address)
            let key = request.headers[.init("Idempotency-Key")!]
            if let key, key.isEmpty || key.utf8.count > 200 {
                throw StoreError.badRequest(APIErrorCode.badRequest, "Idempotency-Key is 1 to 200 characters")
            }
            let started = ContinuousClock.now
            let message = try await store.incomingMessage(request, context: context)
            let result = try await store.storage.deliver(message, recipients: recipients, idempotencyKey: key)
            Timer(label: "buzon_store_delivery_seconds").recordInterval(since: started)
            Counter(label: "buzon_store_deliveries_total").increment()
            Counter(label: "buzon_store_delivered_bytes_total").increment(by: message.raw.count)
            let accounts = Set(result.recipients.flatMap { $0.deliveries.map(\.account) })
            for account in accounts { await store.changed(account) }
            return try RouteSupport.json(result)
        }
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
