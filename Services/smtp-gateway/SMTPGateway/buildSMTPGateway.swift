import ServiceKit
import ServiceLifecycle

/// Builds the smtp-gateway: the SMTP listeners and the admin HTTP port, as services for one
/// `ServiceGroup`. `main` and the tests call it.
public func buildSMTPGateway(
    configuration: SMTPConfiguration,
    onBound: @escaping @Sendable ([Listener: Int]) async -> Void = { _ in }
) throws -> [any Service] {
    let parts = try GatewayParts(name: "smtp-gateway", configuration: configuration)
    return parts.services([SMTPServer.make(configuration, parts: parts, onBound: onBound)])
}
