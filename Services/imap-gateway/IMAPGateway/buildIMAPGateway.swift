import Hummingbird
import Logging
import NIOSSL
import ServiceKit
import ServiceLifecycle
import StoreClient

/// Builds the imap-gateway: the IMAP listeners, the account change watcher and the admin HTTP
/// port, as services for one `ServiceGroup`. `main` and the tests call it.
public func buildIMAPGateway(
    configuration: IMAPConfiguration,
    onBound: @escaping @Sendable ([Int]) async -> Void = { _ in }
) throws -> [any Service] {
    var log = Logger(label: "imap-gateway")
    log.logLevel = configuration.logLevel.flatMap { Logger.Level(rawValue: $0) } ?? .info
    let logger = log
    let tls = try TLSSetup.optionalServerContext(certificatePath: configuration.tlsCertificate, keyPath: configuration.tlsKey)
    // Many sessions share one gateway: allow as many store connections as a busy gateway needs
    // (AsyncHTTPClient's default of 8 per host would queue 20 concurrent clients' commands).
    let http = StoreClient.makeHTTPClient(connectTimeout: .seconds(3), connectionsPerHost: 64)
    let client = StoreClient(baseURL: configuration.storeURL, token: configuration.internalToken, httpClient: http, timeout: .seconds(120))
    let watcher = ChangeWatcher(client: client, logger: logger)
    let server = IMAPServer(configuration: configuration, store: client, watcher: watcher, tls: tls, logger: logger, onBound: onBound)
    let router = Router()
    _ = Observability.registry
    AdminRoutes.add(to: router, ready: { (try? await client.send(.GET, "/healthz").status) == 200 })
    let admin = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.adminPort), serverName: "buzon-imap-gateway"),
        logger: logger)
    // Services stop in reverse order: the store client last.
    return [HTTPClientService(client: http), watcher, server, admin]
}
