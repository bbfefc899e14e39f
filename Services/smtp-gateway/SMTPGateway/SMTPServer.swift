import Metrics
import NIOCore
import SMTPProtocol
import ServiceKit

/// The three SMTP listeners (RFC 5321 §2.3.5 MX, RFC 6409 submission, RFC 8314 implicit TLS):
/// each accepted connection runs an `SMTPSession` on the shared driver.
enum SMTPServer {
    static func make(
        _ configuration: SMTPConfiguration, parts: GatewayParts,
        onBound: @escaping @Sendable ([Listener: Int]) async -> Void
    ) -> GatewayServer {
        var listeners: [(Listener, Int)] = [(.mx, configuration.mxPort), (.submission, configuration.submissionPort)]
        if parts.tls != nil { listeners.append((.submissions, configuration.submissionsPort)) }
        let limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
        let store = StoreAnswers(client: parts.store, deliveryRetry: configuration.storeRetry)
        let ports = listeners.map { listener, port in
            GatewayServer.Port(port, label: ["listener": "\(listener.rawValue)"]) { channel in
                try accept(channel, listener: listener, configuration: configuration, parts: parts, store: store, limiter: limiter)
            }
        }
        let names = listeners.map(\.0)
        return GatewayServer(
            host: configuration.host, ports: ports, limiter: limiter, logger: parts.logger,
            withoutTLS: parts.tls == nil ? "no STARTTLS, no submissions port" : nil,
            onBound: { bound in await onBound(Dictionary(uniqueKeysWithValues: zip(names, bound))) })
    }

    private static func accept(
        _ channel: any Channel, listener: Listener, configuration: SMTPConfiguration, parts: GatewayParts,
        store: StoreAnswers, limiter: ConnectionLimiter
    ) throws {
        // RFC 5321 §3.8: over the limits, 421 and close.
        guard
            let admitted = try ServeConnection.admit(
                channel, limiter: limiter, refusal: SMTPReply.tooManyConnections.encoded, metric: "buzon_smtp",
                dimensions: [("listener", listener.rawValue)], logger: parts.logger)
        else { return }
        admitted.logger.info("connection", metadata: ["listener": "\(listener.rawValue)"])
        let settings = SessionSettings(
            hostname: configuration.hostname, maxMessageSize: configuration.maxMessageSize, maxRecipients: configuration.maxRecipients,
            tlsAvailable: parts.tls != nil, allowPlaintextAuth: configuration.allowPlaintextAuth, minDataRate: configuration.minDataRate,
            timeout: configuration.timeout)
        let session = SMTPSession(
            listener: listener, settings: settings, id: admitted.id, clientAddress: admitted.address,
            isTLS: listener == .submissions)
        try ServeConnection.drive(
            channel, admitted: admitted, session: session,
            makeCalls: { _ in SMTPCalls(store: store, clientAddress: admitted.address, logger: admitted.logger) },
            tls: parts.tls, implicitTLS: listener == .submissions, writeTimeout: { configuration.timeout },
            deadlines: configuration.deadlines(listener), inputCounter: Counter(label: "buzon_smtp_received_bytes_total"))
    }
}
