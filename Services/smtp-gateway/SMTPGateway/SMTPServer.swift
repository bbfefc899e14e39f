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
    let configuration: GatewayConfiguration
    let store: StoreAnswers
    let tls: NIOSSLContext?
    let limiter: ConnectionLimiter
    let logger: Logger
    let onBound: @Sendable ([Listener: Int]) async -> Void

    init(configuration: GatewayConfiguration, store: StoreAnswers, tls: NIOSSLContext?, logger: Logger,
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
            tlsAvailable: tls != nil, allowPlaintextAuth: configuration.allowPlaintextAuth, minDataRate: configuration.minDataRate)
        let store = self.store
        let tls = self.tls
        let limiter = self.limiter
        let logger = self.logger
        let timeout = TimeAmount.nanoseconds(Int64(configuration.timeout.components.seconds) * 1_000_000_000)
        return GatewayListeners.bootstrap { channel in
            try Self.configure(channel, listener: listener, settings: settings, store: store, tls: tls,
                               limiter: limiter, logger: logger, timeout: timeout)
        }
    }

    /// Sets up one accepted connection: refused over the limits, else TLS (on 465), the idle
    /// timeout and the session's driver.
    private static func configure(_ channel: any Channel, listener: Listener, settings: SessionSettings, store: StoreAnswers,
                                  tls: NIOSSLContext?, limiter: ConnectionLimiter, logger: Logger, timeout: TimeAmount) throws {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        Counter(label: "buzon_smtp_connections_total", dimensions: [("listener", listener.rawValue)]).increment()
        guard limiter.acquire(address, channel: channel) else {
            Counter(label: "buzon_smtp_connections_refused_total").increment()
            // RFC 5321 §3.8: 421 and close.
            try channel.pipeline.syncOperations.addHandler(RefuseHandler(message: SMTPReply.tooManyConnections.encoded))
            return
        }
        channel.closeFuture.whenComplete { _ in limiter.release(address, channel: channel) }
        let id = SessionID.next()
        var sessionLogger = logger
        sessionLogger[metadataKey: "session"] = "\(id)"
        sessionLogger[metadataKey: "client"] = "\(address)"
        let session = SMTPSession(listener: listener, settings: settings, id: id, clientAddress: address,
                                  isTLS: listener == .submissions)
        if listener == .submissions, let tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        }
        try channel.pipeline.syncOperations.addHandler(
            SMTPConnectionHandler(session: session, store: store, tls: tls, logger: sessionLogger, timeout: timeout,
                                  minDataRate: settings.minDataRate))
    }
}
