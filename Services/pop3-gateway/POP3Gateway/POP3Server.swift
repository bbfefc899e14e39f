import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import POP3Protocol
import ServiceKit
import ServiceLifecycle

/// The POP3 listeners (110 with STLS, 995 with implicit TLS) as one service, with the same
/// limits and graceful shutdown as the other gateways.
public final class POP3Server: Service {
    let configuration: POP3Configuration
    let store: MaildropStore
    let tls: NIOSSLContext?
    let limiter: ConnectionLimiter
    let logger: Logger
    let onBound: @Sendable ([Int]) async -> Void

    init(configuration: POP3Configuration, store: MaildropStore, tls: NIOSSLContext?, logger: Logger,
         onBound: @escaping @Sendable ([Int]) async -> Void) {
        self.configuration = configuration
        self.store = store
        self.tls = tls
        self.limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        var ports = [(configuration.port, false)]
        if tls != nil { ports.append((configuration.tlsPort, true)) }
        var channels: [any Channel] = []
        for (port, implicitTLS) in ports {
            let channel = try await bootstrap(implicitTLS: implicitTLS).bind(host: configuration.host, port: port).get()
            channels.append(channel)
            logger.info("listening", metadata: ["tls": "\(implicitTLS)", "address": "\(channel.localAddress?.description ?? "?")"])
        }
        if tls == nil { logger.warning("no BUZON_TLS_CERT/BUZON_TLS_KEY: no STLS, no POP3S port") }
        await onBound(channels.compactMap { $0.localAddress?.port })
        try? await gracefulShutdown()
        await GatewayListeners.drain(channels, limiter: limiter, logger: logger)
        // Maildrop locks given back by the sessions just closed must reach the store before
        // its client shuts down.
        let deadline = ContinuousClock.now + .seconds(5)
        while store.releases.pending > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    private func bootstrap(implicitTLS: Bool) -> ServerBootstrap {
        let configuration = self.configuration, store = self.store, tls = self.tls, limiter = self.limiter, logger = self.logger
        return GatewayListeners.bootstrap { channel in
            guard let admitted = try ServeConnection.admit(
                channel, limiter: limiter, refusal: POP3Response.tooManyConnections.encoded, metric: "buzon_pop3",
                dimensions: [("tls", implicitTLS ? "implicit" : "stls")], logger: logger)
            else { return }
            admitted.logger.info("connection")
            // Passwords in the clear only from this machine, or where configuration allows
            // (RFC 2595 §2.3: they must not cross a network unprotected).
            let settings = SessionSettings(hostname: configuration.hostname, tlsAvailable: tls != nil && !implicitTLS,
                                           plaintextAuthAllowed: configuration.allowPlaintextAuth || admitted.isLoopback,
                                           timeout: configuration.timeout)
            let session = POP3Session(settings: settings, id: admitted.id, isTLS: implicitTLS)
            try ServeConnection.drive(
                channel, session: session,
                makeCalls: { _ in POP3Calls(store: store, clientAddress: admitted.address, sessionID: admitted.id, logger: admitted.logger) },
                tls: tls, implicitTLS: implicitTLS, writeTimeout: configuration.timeout, logger: admitted.logger)
        }
    }
}
