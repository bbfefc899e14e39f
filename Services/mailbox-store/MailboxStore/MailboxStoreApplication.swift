import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import ServiceKit
import ServiceLifecycle
import StoreAPI

/// Builds the mailbox-store: storage opened and migrated, routes, middleware, and the
/// background housekeeping, as one Hummingbird application. `main` and the tests both call it.
public func buildMailboxStore(
    configuration: StoreConfiguration,
    storage: (any MailStorage)? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var log = Logger(label: "mailbox-store")
    log.logLevel = configuration.logLevel.flatMap { Logger.Level(rawValue: $0) } ?? .info
    let logger = log
    let storage = try storage ?? SQLiteStorage(directory: configuration.dataDirectory)
    try storage.ensurePostmasters(administrator: configuration.postmaster)
    let store = StoreContext(
        storage: storage,
        login: LoginPolicy(
            storage: storage, settings: configuration.login, bcryptCost: configuration.bcryptCost,
            now: { Date().timeIntervalSince1970 }),
        notifier: ChangeNotifier(),
        maxMessageSize: configuration.maxMessageSize,
        notices: NoticeWriter(reportingMTA: configuration.hostname),
        resendWindow: configuration.resendWindow)

    let router = Router(context: StoreRequestContext.self)
    router.middlewares.add(ErrorBodyMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(BearerTokenMiddleware(token: configuration.internalToken))
    router.middlewares.add(MethodNotAllowedMiddleware(table: .shipped))
    _ = Observability.registry
    AdminRoutes.add(to: router, ready: { await storage.ping() })
    AccountRoutes(store: store).add(to: router)
    GatewayRoutes(store: store).add(to: router)
    LoginFailureRoutes(store: store).add(to: router)
    MailboxRoutes(store: store).add(to: router)
    MetadataRoutes(store: store).add(to: router)
    MessageRoutes(store: store).add(to: router)
    MessageBatchRoutes(store: store).add(to: router)
    SearchRoutes(store: store).add(to: router)
    SortRoutes(store: store).add(to: router)
    DeliveryRoutes(store: store).add(to: router)
    ChangeRoutes(store: store).add(to: router)
    LockRoutes(store: store).add(to: router)
    WebSessionRoutes(store: store).add(to: router)
    ACLRoutes(store: store).add(to: router)
    RelayRoutes(store: store).add(to: router)
    QuotaRoutes(store: store).add(to: router)
    OpenAPIRoute.add(to: router)

    return Application(
        router: router,
        server: LoopBoundHTTP1Channel.builder(.init(httpDecoderConfiguration: httpLimits)),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "buzon-mailbox-store"),
        services: [
            IdempotencyPruner(
                storage: storage, loginWindow: configuration.login.window, logger: logger, resendWindow: configuration.resendWindow),
            QueueGauges(storage: storage),
            MessageIndexer(storage: storage, batch: configuration.indexBatch, logger: logger),
        ],
        onServerRunning: { channel in
            logger.info("mailbox-store listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            await onServerRunning(channel.localAddress?.port ?? 0)
        },
        logger: logger)
}

/// The HTTP layer's limits on a request's header section. NIO's default (80 KiB) is below what
/// the API allows in one header (`Buzon-Envelope`, 256 KiB), and a request over the HTTP
/// layer's limit is refused before any route, with an empty 400; so the layer allows the
/// envelope plus room for the other headers, and the route answers an over-long envelope with
/// the JSON error.
let httpLimits = HTTP1Channel.Configuration.DecoderConfiguration(
    maxHeaderFieldSize: DeliveryEnvelope.maxHeaderLength + 64 * 1024,
    maxHeaderListSize: DeliveryEnvelope.maxHeaderLength + 64 * 1024)

/// Forgets idempotency keys after a day: a retry comes within minutes, and the table must not
/// grow forever; resend digests after their window. Login-failure counters go too once their
/// window and lock are over: every name and address a guesser tries leaves one.
struct IdempotencyPruner: Service {
    let storage: any MailStorage
    let loginWindow: Double
    let logger: Logger
    var resendWindow: Double = StoreConfiguration.defaultResendWindow
    static let retention: Double = 24 * 3600
    static let interval: Duration = .seconds(3600)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await storage.pruneIdempotency(olderThan: Date().timeIntervalSince1970 - Self.retention)
                    try await storage.pruneResendDigests(olderThan: Date().timeIntervalSince1970 - resendWindow)
                    try await storage.pruneLoginFailures(now: Date().timeIntervalSince1970, window: loginWindow)
                } catch {
                    logger.warning("pruning idempotency keys failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }
}

/// The outbound queue's length and the age of its oldest entry on /metrics
/// (`buzon_store_queue_entries`, `buzon_store_queue_oldest_age_seconds`), refreshed every few
/// seconds: the two numbers an administrator watches to see that mail leaves.
struct QueueGauges: Service {
    let storage: any MailStorage
    static let interval: Duration = .seconds(5)

    func run() async throws {
        let entries = Gauge(label: "buzon_store_queue_entries")
        let age = Gauge(label: "buzon_store_queue_oldest_age_seconds")
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let stats = try? await storage.queueStatistics() {
                    entries.record(stats.entries)
                    age.record(stats.oldest.map { max(0, Date().timeIntervalSince1970 - $0) } ?? 0)
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }
}

/// `GET /openapi.yaml` (open, like /healthz): the API description, served by the store it describes.
enum OpenAPIRoute {
    static func add(to router: Router<StoreRequestContext>) {
        router.get("openapi.yaml") { _, _ -> Response in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
                let data = try? Data(contentsOf: url)
            else {
                throw StoreError.notFound(APIErrorCode.notFound, "the API description is not installed")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
