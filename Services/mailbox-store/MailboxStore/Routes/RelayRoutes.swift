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
        let queue = router.group("v1/queue")
        queue.get { _, _ -> Response in
            try RouteSupport.json(QueueList(entries: try await store.storage.listQueue()))
        }
        queue.post("lease") { request, context -> Response in
            let body = try await RouteSupport.decode(LeaseRequest.self, from: request, context: context)
            try Self.check(worker: body.worker, ttl: body.ttl)
            guard (1...Self.maxLease).contains(body.limit) else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "limit is 1 to \(Self.maxLease)")
            }
            let entries = try await store.storage.leaseQueue(worker: body.worker, limit: body.limit, ttl: Double(body.ttl))
            return try RouteSupport.json(QueueList(entries: entries))
        }
        queue.post("retry") { _, _ -> Response in
            try RouteSupport.json(["due": try await store.storage.retryAllQueued()])
        }
        queue.get(":id") { _, context -> Response in
            try RouteSupport.json(try await store.storage.queueEntry(try RouteSupport.int64(context, "id")))
        }
        queue.get(":id/message") { _, context -> Response in
            let raw = try await store.storage.queueMessage(try RouteSupport.int64(context, "id"))
            return Response(status: .ok, headers: [.contentType: "message/rfc822"], body: .init(byteBuffer: ByteBuffer(bytes: raw)))
        }
        queue.put(":id/lease") { request, context -> Response in
            let body = try await RouteSupport.decode(LeaseRequest.self, from: request, context: context)
            try Self.check(worker: body.worker, ttl: body.ttl)
            return try RouteSupport.json(
                try await store.storage.renewQueueLease(
                    try RouteSupport.int64(context, "id"), worker: body.worker, ttl: Double(body.ttl)))
        }
        queue.delete(":id/lease") { request, context -> Response in
            let worker = request.uri.queryParameters.get("worker") ?? ""
            try Self.check(worker: worker, ttl: nil)
            try await store.storage.releaseQueueLease(try RouteSupport.int64(context, "id"), worker: worker)
            return RouteSupport.noContent()
        }
        queue.post(":id/report") { request, context -> Response in
            let body = try await RouteSupport.decode(DeliveryReport.self, from: request, context: context)
            try Self.check(worker: body.worker, ttl: nil)
            let result = try await store.storage.reportQueue(try RouteSupport.int64(context, "id"), body, notices: store.notices)
            return try RouteSupport.json(result)
        }
        queue.post(":id/:action") { _, context -> Response in
            guard let action = QueueAdminAction(rawValue: RouteSupport.pathParameter(context, "action")) else {
                throw StoreError.notFound(APIErrorCode.notFound, "no such route")
            }
            let result = try await store.storage.adminQueue(try RouteSupport.int64(context, "id"), action, notices: store.notices)
            return try RouteSupport.json(result)
        }
        queue.delete(":id") { _, context -> Response in
            try await store.storage.deleteQueueEntry(try RouteSupport.int64(context, "id"))
            return RouteSupport.noContent()
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
