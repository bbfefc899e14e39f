import NIOCore
import POP3Protocol
import ServiceKit

/// The POP3 listeners (110 with STLS, RFC 2595; 995 with implicit TLS, RFC 8314): each
/// accepted connection runs a `POP3Session` on the shared driver.
enum POP3Server {
    static func make(
        _ configuration: POP3Configuration, parts: GatewayParts, store: MaildropStore,
        onBound: @escaping @Sendable ([Int]) async -> Void
    ) -> GatewayServer {
        var listeners = [(configuration.port, false)]
        if parts.tls != nil { listeners.append((configuration.tlsPort, true)) }
        let limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
        let ports = listeners.map { port, implicitTLS in
            GatewayServer.Port(port, label: ["tls": "\(implicitTLS)"]) { channel in
                try accept(channel, implicitTLS: implicitTLS, configuration: configuration, parts: parts, store: store, limiter: limiter)
            }
        }
        return GatewayServer(
            host: configuration.host, ports: ports, limiter: limiter, logger: parts.logger,
            withoutTLS: parts.tls == nil ? "no STLS, no POP3S port" : nil, onBound: onBound,
            afterDrain: {
                // Maildrop locks given back by the sessions just closed must reach the store
                // before its client shuts down.
                let deadline = ContinuousClock.now + .seconds(5)
                while store.releases.pending > 0 && ContinuousClock.now < deadline {
                    try? await Task.sleep(for: .milliseconds(50))
                }
            })
    }

    private static func accept(
        _ channel: any Channel, implicitTLS: Bool, configuration: POP3Configuration, parts: GatewayParts,
        store: MaildropStore, limiter: ConnectionLimiter
    ) throws {
        guard
            let admitted = try ServeConnection.admit(
                channel, limiter: limiter, refusal: POP3Response.tooManyConnections.encoded, metric: "buzon_pop3",
                dimensions: [("tls", implicitTLS ? "implicit" : "stls")], logger: parts.logger)
        else { return }
        admitted.logger.info("connection")
        // Passwords in the clear only from this machine, or where configuration allows
        // (RFC 2595 §2.3: they must not cross a network unprotected).
        let settings = SessionSettings(
            hostname: configuration.hostname, tlsAvailable: parts.tls != nil && !implicitTLS,
            plaintextAuthAllowed: configuration.allowPlaintextAuth || admitted.isLoopback,
            timeout: configuration.timeout)
        let session = POP3Session(settings: settings, id: admitted.id, isTLS: implicitTLS)
        try ServeConnection.drive(
            channel, admitted: admitted, session: session,
            makeCalls: { _ in POP3Calls(store: store, clientAddress: admitted.address, sessionID: admitted.id, logger: admitted.logger) },
            tls: parts.tls, implicitTLS: implicitTLS, writeTimeout: { configuration.timeout }, deadlines: configuration.deadlines)
    }
}
