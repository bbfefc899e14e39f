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

    /// `connectionsPerHost`: a gateway with many concurrent sessions needs more store
    /// connections than AsyncHTTPClient's default of 8.
    public init(
        name: String, configuration: some GatewaySettings, connectionsPerHost: Int = 8,
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
