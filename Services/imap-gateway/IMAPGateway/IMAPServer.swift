import IMAPProtocol
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import ServiceKit
import ServiceLifecycle
import StoreClient

/// The IMAP listeners (143 with STARTTLS, 993 with implicit TLS) as one service, with the
/// same limits and graceful shutdown as the other gateways.
public final class IMAPServer: Service {
    let configuration: IMAPConfiguration
    let store: StoreClient
    let watcher: ChangeWatcher
    let tls: NIOSSLContext?
    let limiter: ConnectionLimiter
    let users: UserConnections
    let logger: Logger
    let onBound: @Sendable ([Int]) async -> Void

    init(configuration: IMAPConfiguration, store: StoreClient, watcher: ChangeWatcher, tls: NIOSSLContext?, logger: Logger,
         onBound: @escaping @Sendable ([Int]) async -> Void) {
        self.configuration = configuration
        self.store = store
        self.watcher = watcher
        self.tls = tls
        self.limiter = ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress)
        self.users = UserConnections(limit: configuration.maxConnectionsPerUser)
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
        if tls == nil { logger.warning("no BUZON_TLS_CERT/BUZON_TLS_KEY: no STARTTLS, no IMAPS port") }
        await onBound(channels.compactMap { $0.localAddress?.port })
        try? await gracefulShutdown()
        await GatewayListeners.drain(channels, limiter: limiter, logger: logger)
    }

    private func bootstrap(implicitTLS: Bool) -> ServerBootstrap {
        let context = ConnectionContext(configuration: configuration, store: store, watcher: watcher, tls: tls, limiter: limiter,
                                        users: users, logger: logger)
        return GatewayListeners.bootstrap { channel in
            try Self.configure(channel, implicitTLS: implicitTLS, context)
        }
    }

    /// One client connection: over the limits `* BYE [LIMIT]`; else the framing on the
    /// shared driver, feeding a command session.
    private static func configure(_ channel: any Channel, implicitTLS: Bool, _ shared: ConnectionContext) throws {
        guard let admitted = try ServeConnection.admit(
            channel, limiter: shared.limiter, refusal: Array("* BYE [LIMIT] Too many connections\r\n".utf8), metric: "buzon_imap",
            dimensions: [("tls", implicitTLS ? "implicit" : "starttls")], logger: shared.logger)
        else { return }
        admitted.logger.debug("connection")
        let configuration = shared.configuration
        // Passwords in the clear only from this machine, or where configuration allows.
        var settings = SessionSettings(hostname: configuration.hostname, tlsAvailable: shared.tls != nil && !implicitTLS,
                                       plaintextAuthAllowed: configuration.allowPlaintextAuth || admitted.isLoopback)
        settings.maxLoginFailures = configuration.maxLoginFailures
        settings.maxMessageSize = configuration.maxMessageSize
        settings.timeoutSeconds = Int(configuration.timeout.components.seconds)
        settings.loginTimeoutSeconds = Int(configuration.loginTimeout.components.seconds)
        settings.clientAddress = admitted.address
        let limits = ConnectionLimits(maxLiteralSize: IMAPDefaults.smallLiteralSize, timeoutSeconds: settings.loginTimeoutSeconds)
        let framing = IMAPFraming(limits: limits, maxLineLength: IMAPDefaults.lineLength)
        let sessionSettings = settings
        try ServeConnection.drive(
            channel, session: framing,
            makeCalls: { output in
                IMAPCalls(session: IMAPSession(
                    settings: sessionSettings, isTLS: implicitTLS, store: shared.store, watcher: shared.watcher, users: shared.users,
                    limits: limits, logger: admitted.logger, sink: OutputSink(output: output)))
            },
            tls: shared.tls, implicitTLS: implicitTLS, writeTimeout: configuration.timeout, logger: admitted.logger)
    }
}

/// What every connection of one listener shares.
struct ConnectionContext: Sendable {
    let configuration: IMAPConfiguration
    let store: StoreClient
    let watcher: ChangeWatcher
    let tls: NIOSSLContext?
    let limiter: ConnectionLimiter
    let users: UserConnections
    let logger: Logger
}
