import Logging
import NIOCore
import ServiceLifecycle

/// A gateway's listening ports as one service: binds them, says where it listens, and on
/// graceful shutdown stops accepting, lets sessions in flight finish for a while
/// (`GatewayListeners.drain`), then closes the rest — a client told nothing retries, and a
/// message never got its `250` unless it was stored.
public final class GatewayServer: Service {
    /// One listening port and what each accepted connection gets.
    public struct Port: Sendable {
        public var port: Int
        /// Log metadata naming the port (`listener: mx`, `tls: implicit`).
        public var label: Logger.Metadata
        public var configure: @Sendable (any Channel) throws -> Void

        public init(_ port: Int, label: Logger.Metadata, configure: @escaping @Sendable (any Channel) throws -> Void) {
            self.port = port
            self.label = label
            self.configure = configure
        }
    }

    let host: String
    let ports: [Port]
    let limiter: ConnectionLimiter
    let logger: Logger
    /// Said once at start when there is no certificate (no STARTTLS, no implicit-TLS port).
    let withoutTLS: String?
    let onBound: @Sendable ([Int]) async -> Void
    /// After the drain: what the sessions gave back must reach the store before it goes.
    let afterDrain: @Sendable () async -> Void

    public init(
        host: String, ports: [Port], limiter: ConnectionLimiter, logger: Logger, withoutTLS: String?,
        onBound: @escaping @Sendable ([Int]) async -> Void, afterDrain: @escaping @Sendable () async -> Void = {}
    ) {
        self.host = host
        self.ports = ports
        self.limiter = limiter
        self.logger = logger
        self.withoutTLS = withoutTLS
        self.onBound = onBound
        self.afterDrain = afterDrain
    }

    public func run() async throws {
        var channels: [any Channel] = []
        for port in ports {
            let channel = try await GatewayListeners.bootstrap(port.configure).bind(host: host, port: port.port).get()
            channels.append(channel)
            logger.info("listening", metadata: port.label.merging(["address": "\(channel.localAddress?.description ?? "?")"]) { $1 })
        }
        if let withoutTLS { logger.warning("no BUZON_TLS_CERT/BUZON_TLS_KEY: \(withoutTLS)") }
        await onBound(zip(channels, ports).map { $0.localAddress?.port ?? $1.port })
        try? await gracefulShutdown()
        await GatewayListeners.drain(channels, limiter: limiter, logger: logger)
        await afterDrain()
    }
}
