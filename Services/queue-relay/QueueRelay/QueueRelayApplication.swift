import DNSClient
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle
import StoreClient

/// Builds the queue-relay: the worker loop and the admin HTTP port, as services for one
/// `ServiceGroup`. `main` and the tests call it.
public func buildQueueRelay(configuration: RelayConfiguration) throws -> [any Service] {
    var log = Logger(label: "queue-relay")
    log.logLevel = configuration.logLevel.flatMap { Logger.Level(rawValue: $0) } ?? .info
    let logger = log
    let http = StoreClient.makeHTTPClient(connectTimeout: .seconds(3))
    let store = StoreClient(baseURL: configuration.storeURL, token: configuration.internalToken, httpClient: http, timeout: .seconds(120))
    let resolver = configuration.dnsServer.map { DNSResolver(server: $0) }
    let delivery = MessageDelivery(destination: Destination(routes: configuration.routes, resolver: resolver, port: configuration.smtpPort),
                                   configuration: configuration)
    let worker = RelayWorker(configuration: configuration, store: store, delivery: delivery, logger: logger)
    let router = Router()
    _ = Observability.registry
    AdminRoutes.add(to: router, ready: { (try? await store.send(.GET, "/healthz").status) == 200 })
    let admin = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.adminHost, port: configuration.adminPort), serverName: "buzon-queue-relay"),
        logger: logger)
    // Services stop in reverse order: the store client last.
    return [HTTPClientService(client: http), worker, admin]
}
