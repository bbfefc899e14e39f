import Foundation
import Hummingbird
import Logging
import ServiceKit
import ServiceLifecycle
import StoreClient

/// Builds the smtp-gateway: the SMTP listeners and the admin HTTP port, as services for one
/// `ServiceGroup`. `main` and the tests call it.
public func buildSMTPGateway(
    configuration: SMTPConfiguration,
    onBound: @escaping @Sendable ([Listener: Int]) async -> Void = { _ in }
) throws -> [any Service] {
    var log = Logger(label: "smtp-gateway")
    log.logLevel = configuration.logLevel.flatMap { Logger.Level(rawValue: $0) } ?? .info
    let logger = log
    let tls = try TLSSetup.optionalServerContext(certificatePath: configuration.tlsCertificate, keyPath: configuration.tlsKey)
    let http = StoreClient.makeHTTPClient(connectTimeout: .seconds(3))
    let client = StoreClient(baseURL: configuration.storeURL, token: configuration.internalToken, httpClient: http, timeout: .seconds(60))
    let server = SMTPServer(configuration: configuration, store: StoreAnswers(client: client), tls: tls,
                            logger: logger, onBound: onBound)

    let router = Router()
    _ = Observability.registry
    AdminRoutes.add(to: router, ready: {
        (try? await client.send(.GET, "/healthz").status) == 200
    })
    let admin = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.adminPort), serverName: "buzon-smtp-gateway"),
        logger: logger)
    // Services stop in reverse order: the store client last.
    return [HTTPClientService(client: http), server, admin]
}
