/// Mail arriving: the message's bytes with its envelope (`Buzon-Envelope`, or local recipients
/// in `recipient=`), answered once it is durable (`DeliveryResult`).
extension StoreOperations {
    public static let deliverMessage = StoreOperation<Void, RawMessage, DeliveryResult>(
        .post, "/v1/deliveries", query: ["recipient"], headers: [DeliveryEnvelope.headerName, "Idempotency-Key"])
}
