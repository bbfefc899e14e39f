import Hummingbird
import Logging
import NIOSSL
import ServiceKit
import ServiceLifecycle
import StoreClient

/// Builds the pop3-gateway: the POP3 listeners and the admin HTTP port, as services for one
/// `ServiceGroup`. `main` and the tests call it.
public func buildPOP3Gateway(
    configuration: POP3Configuration,
    onBound: @escaping @Sendable ([Int]) async -> Void = { _ in }
) throws -> [any Service] {
    var log = Logger(label: "pop3-gateway")
    log.logLevel = configuration.logLevel.flatMap { Logger.Level(rawValue: $0) } ?? .info
    let logger = log
    let tls = try TLSSetup.optionalServerContext(certificatePath: configuration.tlsCertificate, keyPath: configuration.tlsKey)
    let http = StoreClient.makeHTTPClient(connectTimeout: .seconds(3))
    let client = StoreClient(baseURL: configuration.storeURL, token: configuration.internalToken, httpClient: http, timeout: .seconds(60))
    let server = POP3Server(configuration: configuration, store: MaildropStore(client: client, lockTTL: configuration.lockTTL, releases: PendingReleases()), tls: tls, logger: logger, onBound: onBound)
    let router = Router()
    _ = Observability.registry
    AdminRoutes.add(to: router, ready: { (try? await client.send(.GET, "/healthz").status) == 200 })
    let admin = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.adminPort), serverName: "buzon-pop3-gateway"),
        logger: logger)
    // Services stop in reverse order: the store client last.
    return [HTTPClientService(client: http), server, admin]
}
