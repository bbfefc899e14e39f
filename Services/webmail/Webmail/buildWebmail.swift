import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import ServiceKit
import ServiceLifecycle
import StoreClient

/// Builds the webmail: HTTP, HTTPS (with the gateways' certificate) and the admin port, as
/// services for one `ServiceGroup`. `main` and the tests call it.
public func buildWebmail(configuration: WebmailConfiguration) throws -> [any Service] {
    let parts = try GatewayParts(name: "webmail", configuration: configuration, connectionsPerHost: 64)
    let pages = try Pages()
    // One long poll of the store for every browser's live updates (EventRoutes).
    let watcher = ChangeWatcher(client: parts.store, logger: parts.logger)
    var services: [any Service] = []
    for secure in [false, true] {
        var tls: TLSConfiguration?
        if secure {
            guard let certificate = configuration.tlsCertificate, let key = configuration.tlsKey else { continue }
            tls = try TLSSetup.serverConfiguration(certificatePath: certificate, keyPath: key)
        }
        let webmail = Webmail(store: parts.store, pages: pages, configuration: configuration, secure: secure)
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(secure: secure))
        if !secure, configuration.tlsCertificate != nil, !configuration.servePlainHTTP {
            router.add(middleware: HTTPSRedirectMiddleware(port: configuration.publicHTTPSPort ?? configuration.tlsPort))
        }
        router.add(middleware: ErrorPageMiddleware(pages: pages))
        StaticRoutes().add(to: router)
        LoginRoutes(webmail: webmail).add(to: router)
        FolderRoutes(webmail: webmail).add(to: router)
        MessageRoutes(webmail: webmail).add(to: router)
        ActionRoutes(webmail: webmail).add(to: router)
        FolderSettingsRoutes(webmail: webmail).add(to: router)
        ClientSetupRoutes(webmail: webmail).add(to: router)
        EventRoutes(webmail: webmail, watcher: watcher).add(to: router)
        let address = BindAddress.hostname(configuration.host, port: secure ? configuration.tlsPort : configuration.port)
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1()
        services.append(
            Application(
                router: router, server: server, configuration: .init(address: address, serverName: "buzon-webmail"),
                logger: parts.logger))
    }
    return parts.services([watcher] + services)
}
