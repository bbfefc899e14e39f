import ServiceKit
import ServiceLifecycle
import StoreClient

/// Builds the imap-gateway: the IMAP listeners, the account change watcher and the admin HTTP
/// port, as services for one `ServiceGroup`. `main` and the tests call it.
public func buildIMAPGateway(
    configuration: IMAPConfiguration,
    onBound: @escaping @Sendable ([Int]) async -> Void = { _ in }
) throws -> [any Service] {
    // Many sessions share one gateway: allow as many store connections as a busy gateway needs
    // (AsyncHTTPClient's default of 8 per host would queue 20 concurrent clients' commands).
    let parts = try GatewayParts(name: "imap-gateway", configuration: configuration, storeTimeout: .seconds(120))
    let watcher = ChangeWatcher(client: parts.store, logger: parts.logger)
    return parts.services([watcher, IMAPServer.make(configuration, parts: parts, watcher: watcher, onBound: onBound)])
}
