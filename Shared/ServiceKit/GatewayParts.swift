import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import StoreClient

/// What every gateway builds the same way from its configuration: its logger, the TLS context
/// (none without certificate files), the store client on its own HTTP client, and at the end
/// the services in the order a `ServiceGroup` needs them.
public struct GatewayParts: Sendable {
    public let name: String
    public let logger: Logger
    public let tls: NIOSSLContext?
    public let http: HTTPClient
    public let store: StoreClient
    let host: String
    let adminPort: Int

    /// Store connections of a gateway that logs users in: as many as the store's password-check
    /// queue holds (`BUZON_BCRYPT_QUEUE`, 256), so that a burst of logins waits in the store's
    /// bounded queue, which answers `503` when full. AsyncHTTPClient fails a request that waits
    /// for a pooled connection longer than the connect timeout (3 s here): with 64 connections,
    /// 200 simultaneous logins on a loaded 2-core machine got `NO [UNAVAILABLE]` after 3 s.
    public static let loginConnections = 256

    /// `connectionsPerHost`: a gateway with many concurrent sessions needs more store
    /// connections than AsyncHTTPClient's default of 8.
    public init(
        name: String, configuration: some GatewaySettings, connectionsPerHost: Int = loginConnections,
        storeTimeout: TimeAmount = .seconds(60)
    ) throws {
        try self.init(
            name: name, logLevel: configuration.logLevel, storeURL: configuration.storeURL, token: configuration.internalToken,
            tlsCertificate: configuration.tlsCertificate, tlsKey: configuration.tlsKey, adminHost: configuration.host,
            adminPort: configuration.adminPort, connectionsPerHost: connectionsPerHost, storeTimeout: storeTimeout)
    }

    /// For a service without listeners of its own (the queue-relay): no certificate.
    public init(
        name: String, logLevel: String?, storeURL: String, token: String, tlsCertificate: String? = nil, tlsKey: String? = nil,
        adminHost: String, adminPort: Int, connectionsPerHost: Int = 8, storeTimeout: TimeAmount = .seconds(60)
    ) throws {
        self.name = name
        var logger = Logger(label: name)
        logger.logLevel = logLevel.flatMap { Logger.Level(rawValue: $0) } ?? .info
        self.logger = logger
        tls = try TLSSetup.optionalServerContext(certificatePath: tlsCertificate, keyPath: tlsKey)
        http = StoreClient.makeHTTPClient(connectTimeout: .seconds(3), connectionsPerHost: connectionsPerHost)
        store = StoreClient(baseURL: storeURL, token: token, httpClient: http, timeout: storeTimeout)
        host = adminHost
        self.adminPort = adminPort
    }

    /// The store client's HTTP client, then `services`, then the admin port (ready when the
    /// store answers). Services stop in reverse order: the store client last.
    public func services(_ services: [any Service]) -> [any Service] {
        let router = Router()
        _ = Observability.registry
        let store = self.store
        AdminRoutes.add(to: router, ready: { (try? await store.send(.GET, "/healthz").status) == 200 })
        let admin = Application(
            router: router, configuration: .init(address: .hostname(host, port: adminPort), serverName: "buzon-\(name)"),
            logger: logger)
        return [HTTPClientService(client: http)] + services + [admin]
    }
}
