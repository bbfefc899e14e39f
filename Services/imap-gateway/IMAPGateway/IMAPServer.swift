import IMAPProtocol
import NIOCore
import ServiceKit
import StoreClient

/// The IMAP listeners (143 with STARTTLS, RFC 9051 §6.2.1; 993 with implicit TLS, RFC 8314):
/// each accepted connection runs `IMAPFraming` on the shared driver, feeding an `IMAPSession`.
enum IMAPServer {
    static func make(
        _ configuration: IMAPConfiguration, parts: GatewayParts, watcher: ChangeWatcher,
        onBound: @escaping @Sendable ([Int]) async -> Void
    ) -> GatewayServer {
        var listeners = [(configuration.port, false)]
        if parts.tls != nil { listeners.append((configuration.tlsPort, true)) }
        let shared = ConnectionContext(
            configuration: configuration, parts: parts, watcher: watcher,
            mailboxes: SharedMailboxes(
                store: parts.store, keep: .seconds(max(0, configuration.viewKeepSeconds)), keepMessages: configuration.viewKeepMessages),
            limiter: ConnectionLimiter(maxTotal: configuration.maxConnections, maxPerAddress: configuration.maxConnectionsPerAddress),
            users: UserConnections(limit: configuration.maxConnectionsPerUser))
        let ports = listeners.map { port, implicitTLS in
            GatewayServer.Port(port, label: ["tls": "\(implicitTLS)"]) { channel in
                try accept(channel, implicitTLS: implicitTLS, shared)
            }
        }
        return GatewayServer(
            host: configuration.host, ports: ports, limiter: shared.limiter, logger: parts.logger,
            withoutTLS: parts.tls == nil ? "no STARTTLS, no IMAPS port" : nil, onBound: onBound)
    }

    /// One client connection: over the limits `* BYE [LIMIT]`; else the framing on the
    /// shared driver, feeding a command session.
    private static func accept(_ channel: any Channel, implicitTLS: Bool, _ shared: ConnectionContext) throws {
        guard
            let admitted = try ServeConnection.admit(
                channel, limiter: shared.limiter, refusal: Array("* BYE [LIMIT] Too many connections\r\n".utf8), metric: "buzon_imap",
                dimensions: [("tls", implicitTLS ? "implicit" : "starttls")], logger: shared.parts.logger)
        else { return }
        admitted.logger.debug("connection")
        let configuration = shared.configuration
        let tls = shared.parts.tls
        // Passwords in the clear only from this machine, or where configuration allows.
        var settings = SessionSettings(
            hostname: configuration.hostname, tlsAvailable: tls != nil && !implicitTLS,
            plaintextAuthAllowed: configuration.allowPlaintextAuth || admitted.isLoopback)
        settings.maxLoginFailures = configuration.maxLoginFailures
        settings.maxMessageSize = configuration.maxMessageSize
        settings.timeoutSeconds = Int(configuration.timeout.components.seconds)
        settings.loginTimeoutSeconds = Int(configuration.loginTimeout.components.seconds)
        settings.clientAddress = admitted.address
        settings.maxMailboxKeywords = configuration.maxMailboxKeywords
        settings.progressSlice = max(1, configuration.progressSlice)
        settings.inProgressAfter = configuration.inProgressMilliseconds < 0 ? nil : .milliseconds(configuration.inProgressMilliseconds)
        settings.metadataMaxSize = configuration.metadataMaxSize
        settings.metadataMaxEntries = configuration.metadataMaxEntries
        settings.metadataAdmin = configuration.metadataAdmin
        settings.notifyMaxMailboxes = configuration.notifyMaxMailboxes
        let limits = ConnectionLimits(maxLiteralSize: IMAPDefaults.smallLiteralSize, timeoutSeconds: settings.loginTimeoutSeconds)
        let framing = IMAPFraming(limits: limits, maxLineLength: configuration.maxLineLength)
        let sessionSettings = settings
        // A client that reads nothing is cut off after the autologout time: 60 s before login,
        // 30 minutes after (as the old inbound handler's clock did).
        try ServeConnection.drive(
            channel, admitted: admitted, session: framing,
            makeCalls: { output in
                IMAPCalls(
                    session: IMAPSession(
                        settings: sessionSettings, isTLS: implicitTLS, store: shared.parts.store, watcher: shared.watcher,
                        users: shared.users, limits: limits, logger: admitted.logger, sink: OutputSink(output: output),
                        shared: shared.mailboxes))
            },
            tls: tls, implicitTLS: implicitTLS, writeTimeout: { .seconds(limits.timeoutSeconds.load(ordering: .relaxed)) },
            deadlines: configuration.deadlines)
    }
}

/// What every connection of the gateway shares.
struct ConnectionContext: Sendable {
    let configuration: IMAPConfiguration
    let parts: GatewayParts
    let watcher: ChangeWatcher
    let mailboxes: SharedMailboxes
    let limiter: ConnectionLimiter
    let users: UserConnections
}
