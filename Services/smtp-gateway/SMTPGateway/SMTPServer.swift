import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import ServiceKit
import ServiceLifecycle
import SMTPProtocol

/// The three SMTP listeners as one service: binds them, hands each connection a session, and
/// on graceful shutdown stops accepting, lets sessions in flight finish for a while, then
/// closes the rest (a client told nothing retries; a message never got `250` unless stored).
public final class SMTPServer: Service {
    let configuration: SMTPConfiguration
    let store: StoreAnswers
    let tls: NIOSSLContext?
    let limiter: ConnectionLimiter
    let logger: Logger
    let onBound: @Sendable ([Listener: Int]) async -> Void

    init(configuration: SMTPConfiguration, store: StoreAnswers, tls: NIOSSLContext?, logger: Logger,
         onBound: @escaping @Sendable ([Listener: Int]) async -> Void) {
        self.configuration = configuration
        self.store = store
        self.tls = tls
        self.limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
        self.logger = logger
        self.onBound = onBound
    }

    public func run() async throws {
        var ports: [(Listener, Int)] = [(.mx, configuration.mxPort), (.submission, configuration.submissionPort)]
        if tls != nil { ports.append((.submissions, configuration.submissionsPort)) }
        var channels: [any Channel] = []
        var bound: [Listener: Int] = [:]
        for (listener, port) in ports {
            let channel = try await bootstrap(listener).bind(host: configuration.host, port: port).get()
            channels.append(channel)
            bound[listener] = channel.localAddress?.port ?? port
            logger.info("listening", metadata: ["listener": "\(listener.rawValue)", "address": "\(channel.localAddress?.description ?? "?")"])
        }
        if tls == nil { logger.warning("no BUZON_TLS_CERT/BUZON_TLS_KEY: no STARTTLS, no submissions port") }
        await onBound(bound)
        try? await gracefulShutdown()
        await GatewayListeners.drain(channels, limiter: limiter, logger: logger)
    }

    private func bootstrap(_ listener: Listener) -> ServerBootstrap {
        let configuration = self.configuration
        let settings = SessionSettings(
            hostname: configuration.hostname, maxMessageSize: configuration.maxMessageSize, maxRecipients: configuration.maxRecipients,
            tlsAvailable: tls != nil, allowPlaintextAuth: configuration.allowPlaintextAuth, minDataRate: configuration.minDataRate,
            timeout: configuration.timeout)
        let store = self.store, tls = self.tls, limiter = self.limiter, logger = self.logger
        return GatewayListeners.bootstrap { channel in
            // RFC 5321 §3.8: over the limits, 421 and close.
            guard let admitted = try ServeConnection.admit(
                channel, limiter: limiter, refusal: SMTPReply.tooManyConnections.encoded, metric: "buzon_smtp",
                dimensions: [("listener", listener.rawValue)], logger: logger)
            else { return }
            admitted.logger.info("connection", metadata: ["listener": "\(listener.rawValue)"])
            let session = SMTPSession(listener: listener, settings: settings, id: admitted.id, clientAddress: admitted.address,
                                      isTLS: listener == .submissions)
            try ServeConnection.drive(
                channel, session: session,
                makeCalls: { _ in SMTPCalls(store: store, clientAddress: admitted.address, logger: admitted.logger) },
                tls: tls, implicitTLS: listener == .submissions, writeTimeout: settings.timeout, logger: admitted.logger,
                inputCounter: Counter(label: "buzon_smtp_received_bytes_total"))
        }
    }
}
