import Hummingbird
import StoreAPI

/// The outbound queue: `GET /v1/queue` and `GET /v1/queue/{id}` for everyone with the token;
/// for relay workers `POST /v1/queue/lease`, `GET /v1/queue/{id}/message`,
/// `PUT /v1/queue/{id}/lease`, `DELETE /v1/queue/{id}/lease`, `POST /v1/queue/{id}/report`; for administrators
/// `POST /v1/queue/{id}/{retry|hold|release|bounce}`, `POST /v1/queue/retry`,
/// `DELETE /v1/queue/{id}`.
struct RelayRoutes {
    let store: StoreContext

    /// Entries one lease request may take, and how long a lease may be.
    static let maxLease = 100
    static let leaseTTL = 5...3600

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.listQueue) { _, _, _ in
            QueueList(entries: try await store.storage.listQueue())
        }
        router.on(StoreOperations.leaseQueue) { _, _, body in
            let body = try await body()
            try Self.check(worker: body.worker, ttl: body.ttl)
            guard (1...Self.maxLease).contains(body.limit) else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "limit is 1 to \(Self.maxLease)")
            }
            let entries = try await store.storage.leaseQueue(worker: body.worker, limit: body.limit, ttl: Double(body.ttl))
            return QueueList(entries: entries)
        }
        router.on(StoreOperations.retryAllQueued) { _, _, _ in
            QueueRetryResult(due: try await store.storage.retryAllQueued())
        }
        router.on(StoreOperations.getQueueEntry) { _, context, _ in
            try await store.storage.queueEntry(try RouteSupport.int64(context, "id"))
        }
        router.on(
            StoreOperations.getQueueMessage,
            raw: { _, context, _ in
                let raw = try await store.storage.queueMessage(try RouteSupport.int64(context, "id"))
                return Response(status: .ok, headers: [.contentType: "message/rfc822"], body: .init(byteBuffer: ByteBuffer(bytes: raw)))
            })
        router.on(StoreOperations.renewQueueLease) { _, context, body in
            let body = try await body()
            try Self.check(worker: body.worker, ttl: body.ttl)
            return try await store.storage.renewQueueLease(
                try RouteSupport.int64(context, "id"), worker: body.worker, ttl: Double(body.ttl))
        }
        router.on(StoreOperations.releaseQueueLease) { request, context, _ in
            let worker = request.uri.queryParameters.get("worker") ?? ""
            try Self.check(worker: worker, ttl: nil)
            try await store.storage.releaseQueueLease(try RouteSupport.int64(context, "id"), worker: worker)
            return NoContent()
        }
        router.on(StoreOperations.reportQueueOutcome) { _, context, body in
            let body = try await body()
            try Self.check(worker: body.worker, ttl: nil)
            return try await store.storage.reportQueue(try RouteSupport.int64(context, "id"), body, notices: store.notices)
        }
        router.on(StoreOperations.actOnQueueEntry) { _, context, _ in
            guard let action = QueueAdminAction(rawValue: RouteSupport.pathParameter(context, "action")) else {
                throw StoreError.notFound(APIErrorCode.notFound, "no such route")
            }
            return try await store.storage.adminQueue(try RouteSupport.int64(context, "id"), action, notices: store.notices)
        }
        router.on(StoreOperations.deleteQueueEntry) { _, context, _ in
            try await store.storage.deleteQueueEntry(try RouteSupport.int64(context, "id"))
            return NoContent()
        }
    }

    static func check(worker: String, ttl: Int?) throws {
        // Characters, as JSON Schema's maxLength counts them (openapi.yaml).
        guard !worker.isEmpty, worker.unicodeScalars.count <= 200 else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "worker is 1 to 200 characters")
        }
        if let ttl, !Self.leaseTTL.contains(ttl) {
            throw StoreError.badRequest(
                APIErrorCode.badRequest, "ttl is \(Self.leaseTTL.lowerBound) to \(Self.leaseTTL.upperBound) seconds")
        }
    }
}
