import DNSClient
import ServiceKit
import ServiceLifecycle

/// Builds the queue-relay: the worker loop and the admin HTTP port, as services for one
/// `ServiceGroup`. `main` and the tests call it.
public func buildQueueRelay(configuration: RelayConfiguration) throws -> [any Service] {
    let parts = try GatewayParts(
        name: "queue-relay", logLevel: configuration.logLevel, storeURL: configuration.storeURL, token: configuration.internalToken,
        adminHost: configuration.adminHost, adminPort: configuration.adminPort, storeTimeout: .seconds(120))
    let resolver = configuration.dnsServer.map { DNSResolver(server: $0) }
    let delivery = MessageDelivery(
        destination: Destination(routes: configuration.routes, resolver: resolver, port: configuration.smtpPort),
        configuration: configuration)
    return parts.services([RelayWorker(configuration: configuration, store: parts.store, delivery: delivery, logger: parts.logger)])
}
