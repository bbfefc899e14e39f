/// The outbound queue: listing for everyone with the token; leases, messages and reports for
/// relay workers (Relay.swift); retry, hold, release, bounce and delete for administrators.
extension StoreOperations {
    public static let listQueue = StoreOperation<Void, NoBody, QueueList>(.get, "/v1/queue")
    public static let leaseQueue = StoreOperation<Void, LeaseRequest, QueueList>(.post, "/v1/queue/lease")
    public static let retryAllQueued = StoreOperation<Void, NoBody, QueueRetryResult>(.post, "/v1/queue/retry")
    public static let getQueueEntry = StoreOperation<Int64, NoBody, QueueEntry>(.get, "/v1/queue/{id}")
    public static let deleteQueueEntry = StoreOperation<Int64, NoBody, NoContent>(.delete, "/v1/queue/{id}")
    public static let getQueueMessage = StoreOperation<Int64, NoBody, RawMessage>(
        .get, "/v1/queue/{id}/message")
    public static let renewQueueLease = StoreOperation<Int64, LeaseRequest, QueueEntry>(.put, "/v1/queue/{id}/lease")
    public static let releaseQueueLease = StoreOperation<Int64, NoBody, NoContent>(
        .delete, "/v1/queue/{id}/lease", query: ["worker"])
    public static let reportQueueOutcome = StoreOperation<Int64, DeliveryReport, ReportResult>(.post, "/v1/queue/{id}/report")
    public static let actOnQueueEntry = StoreOperation<(id: Int64, action: QueueAdminAction), NoBody, ReportResult>(
        .post, "/v1/queue/{id}/{action}")
}
