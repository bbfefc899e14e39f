import ServiceKit
import ServiceLifecycle

/// Builds the pop3-gateway: the POP3 listeners and the admin HTTP port, as services for one
/// `ServiceGroup`. `main` and the tests call it.
public func buildPOP3Gateway(
    configuration: POP3Configuration,
    onBound: @escaping @Sendable ([Int]) async -> Void = { _ in }
) throws -> [any Service] {
    let parts = try GatewayParts(name: "pop3-gateway", configuration: configuration)
    let store = MaildropStore(
        client: parts.store, lockTTL: configuration.lockTTL, releases: PendingReleases(), readAheadBytes: configuration.readAheadBytes)
    return parts.services([POP3Server.make(configuration, parts: parts, store: store, onBound: onBound)])
}
