import IMAPProtocol
import Logging
import Metrics
import NIOCore
import NIOSSL
import ServiceKit

/// One client connection: its pipeline (TLS, the inbound handler, an async channel) and the
/// task that feeds its session one input at a time.
enum IMAPConnection {
    static func configure(_ channel: any Channel, implicitTLS: Bool, _ shared: ConnectionContext) throws {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        Counter(label: "buzon_imap_connections_total", dimensions: [("tls", implicitTLS ? "implicit" : "starttls")]).increment()
        guard shared.limiter.acquire(address, channel: channel) else {
            Counter(label: "buzon_imap_connections_refused_total").increment()
            try channel.pipeline.syncOperations.addHandler(RefuseHandler(message: Array("* BYE [LIMIT] Too many connections\r\n".utf8)))
            return
        }
        channel.closeFuture.whenComplete { _ in shared.limiter.release(address, channel: channel) }
        let configuration = shared.configuration
        let id = SessionID.next()
        var logger = shared.logger
        logger[metadataKey: "session"] = "\(id)"
        logger[metadataKey: "client"] = "\(address)"
        // Passwords in the clear only from this machine, or where configuration allows.
        let loopback = address == "::1" || address.hasPrefix("127.")
        var settings = SessionSettings(hostname: configuration.hostname, tlsAvailable: shared.tls != nil && !implicitTLS,
                                       plaintextAuthAllowed: configuration.allowPlaintextAuth || loopback)
        settings.maxLoginFailures = configuration.maxLoginFailures
        settings.maxMessageSize = configuration.maxMessageSize
        settings.timeoutSeconds = Int(configuration.timeout.components.seconds)
        settings.loginTimeoutSeconds = Int(configuration.loginTimeout.components.seconds)
        settings.clientAddress = address
        let limits = ConnectionLimits(maxLiteralSize: IMAPDefaults.smallLiteralSize, timeoutSeconds: settings.loginTimeoutSeconds)
        if implicitTLS, let tls = shared.tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        }
        try channel.pipeline.syncOperations.addHandler(IMAPInboundHandler(limits: limits, maxLineLength: IMAPDefaults.lineLength))
        let async = try NIOAsyncChannel<IMAPInput, ByteBuffer>(wrappingChannelSynchronously: channel)
        let tls = shared.tls
        Task {
            await run(async, channel: channel, settings: settings, implicitTLS: implicitTLS, limits: limits, tls: tls, shared: shared, logger: logger)
        }
    }

    private static func run(_ async: NIOAsyncChannel<IMAPInput, ByteBuffer>, channel: any Channel, settings: SessionSettings, implicitTLS: Bool,
                            limits: ConnectionLimits, tls: NIOSSLContext?, shared: ConnectionContext, logger: Logger) async {
        logger.debug("connection")
        do {
            try await async.executeThenClose { inbound, outbound in
                let session = IMAPSession(settings: settings, isTLS: implicitTLS, store: shared.store, watcher: shared.watcher, users: shared.users,
                                          limits: limits, logger: logger, sink: ChannelSink(writer: outbound))
                do {
                    try await serve(session, inbound, channel: channel, tls: tls)
                } catch {
                    logger.debug("connection ended", metadata: ["error": "\(error)"])
                }
                await session.disconnected()
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Feeds the session until it or the client ends the connection.
    private static func serve(_ session: IMAPSession, _ inbound: NIOAsyncChannelInboundStream<IMAPInput>, channel: any Channel,
                              tls: NIOSSLContext?) async throws {
        guard await session.greet() == .proceed else { return }
        for try await input in inbound {
            switch await session.handle(input) {
            case .close:
                return
            case .startTLS(let tag):
                guard let tls else { return }
                try await channel.eventLoop.submit {
                    // One event-loop turn: the OK goes out, TLS goes in, and what came before it
                    // is dropped; no read can fall between them.
                    let handler = try channel.pipeline.syncOperations.handler(type: IMAPInboundHandler.self)
                    channel.writeAndFlush(ByteBuffer(string: "\(tag) OK Begin TLS negotiation now\r\n"), promise: nil)
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                    handler.resume(afterTLS: true)
                }.get()
                await session.tlsStarted()
            case .proceed:
                if case .command(let framed, _) = input, IMAPInboundHandler.isStartTLS(framed) {
                    try await channel.eventLoop.submit {
                        try channel.pipeline.syncOperations.handler(type: IMAPInboundHandler.self).resume(afterTLS: false)
                    }.get()
                }
            }
        }
    }
}
