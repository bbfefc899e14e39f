import Logging
import NIOCore
import NIOPosix

/// What every protocol gateway does with its listening sockets: bind them with the same
/// options, and on graceful shutdown stop accepting, tell open sessions (`ShutdownNotice`),
/// give them `drainTime` to finish, then close what is left.
public enum GatewayListeners {
    public static let drainTime: Duration = .seconds(10)

    /// A server bootstrap with the options every gateway uses; `configure` sets up each
    /// accepted connection's pipeline (on its event loop).
    public static func bootstrap(_ configure: @escaping @Sendable (any Channel) throws -> Void) -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel) }
            }
    }

    /// Stops accepting on `listeners`, announces the shutdown to open sessions, waits for them
    /// up to `drainTime`, then closes the rest.
    public static func drain(_ listeners: [any Channel], limiter: ConnectionLimiter, logger: Logger) async {
        logger.info("shutting down: no new connections")
        for channel in listeners { try? await channel.close() }
        limiter.announceShutdown()
        let deadline = ContinuousClock.now + drainTime
        while limiter.open > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for channel in limiter.openChannels { try? await channel.close() }
    }
}
