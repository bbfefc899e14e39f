import Logging
import NIOCore
import NIOPosix

/// An outbound connection whose session runs on a `SessionDriver`: the client-side twin of
/// `ServeConnection` (the relay's SMTP client). Connecting and running are two steps, so a
/// caller can tell "could not connect" from what the session made of the connection.
public struct ClientConnection: Sendable {
    let channel: NIOAsyncChannel<DriverEvent, ByteBuffer>

    /// Connects within `timeout`. The driver's event handler is in place before the first
    /// read, so a server that speaks and hangs up at once is still heard.
    public static func connect(
        host: String, port: Int, timeout: Duration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ClientConnection {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DriverEventHandler())
                    return try NIOAsyncChannel<DriverEvent, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return ClientConnection(channel: channel)
    }

    /// The connection is still open (a kept connection the peer closed meanwhile is not).
    public var isActive: Bool { channel.channel.isActive }

    /// Drives `session` until it ends, then closes the connection. `makeTLSHandler` makes the
    /// client TLS handler for STARTTLS (`NIOSSLClientHandler`); `writeTimeout` bounds each flush.
    public func run<Session: DrivenSession, Calls: SessionCalls>(
        session: Session, makeCalls: (any DriverOutput) -> Calls,
        makeTLSHandler: (@Sendable () throws -> any ChannelHandler)?, writeTimeout: Duration, logger: Logger
    ) async where Calls.Action == Session.Action, Calls.Answer == Session.Answer {
        let output = ChannelOutput(
            channel: channel.channel, writeTimeout: { writeTimeout },
            makeTLSHandler: makeTLSHandler)
        var driver = SessionDriver(session: session, calls: makeCalls(output), clock: ContinuousClock(), logger: logger)
        do {
            try await channel.executeThenClose { inbound, _ in
                await driver.run(inbound, output: output)
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }
}
