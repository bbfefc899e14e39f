import Logging
import Metrics
import NIOCore
import NIOSSL
import Synchronization

/// What the gateways do with each accepted connection: count it, refuse it over the limits,
/// name it in the logs, and run its session on a `SessionDriver`.
public enum ServeConnection {
    /// An accepted connection within the limits.
    public struct Admitted: Sendable {
        public let id: String
        public let address: String
        public let logger: Logger
        /// Tells the limiter the session has logged in: it is never evicted to make room.
        public let markAuthenticated: @Sendable () -> Void
        /// From this machine: passwords may go in the clear (RFC 2595 §2.3 is about networks).
        public var isLoopback: Bool { address == "::1" || address.hasPrefix("127.") }
    }

    /// Counts the connection in `<metric>_connections_total`; over the limiter's limits it
    /// answers `refusal` and closes (RFC 5321 §3.8 `421`, POP3 `-ERR`, IMAP `* BYE [LIMIT]`).
    /// At the total limit the oldest connection not yet authenticated is evicted to make room
    /// instead, when there is one (`ConnectionLimiter.acquire`).
    public static func admit(
        _ channel: any Channel, limiter: ConnectionLimiter, refusal: [UInt8], metric: String,
        dimensions: [(String, String)], logger: Logger
    ) throws -> Admitted? {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        Counter(label: "\(metric)_connections_total", dimensions: dimensions).increment()
        switch limiter.acquire(address, channel: channel) {
        case .refused:
            Counter(label: "\(metric)_connections_refused_total").increment()
            try channel.pipeline.syncOperations.addHandler(RefuseHandler(message: refusal))
            return nil
        case .evicted:
            Counter(label: "\(metric)_connections_evicted_total").increment()
        case .admitted:
            break
        }
        channel.closeFuture.whenComplete { _ in limiter.release(address, channel: channel) }
        let id = SessionID.next()
        var sessionLogger = logger
        sessionLogger[metadataKey: "session"] = "\(id)"
        sessionLogger[metadataKey: "client"] = "\(address)"
        return Admitted(
            id: id, address: address, logger: sessionLogger, markAuthenticated: { limiter.markAuthenticated(channel) })
    }

    /// Sets up the pipeline (TLS first on an implicit-TLS port, then `DriverEventHandler`)
    /// and starts a task that drives `session` until the connection ends. `makeCalls` runs
    /// inside that task, so the calls' state belongs to it alone; it gets the output for
    /// calls that write to the peer themselves. `deadlines`: the login deadline and the
    /// command-line rate floor (`ConnectionDeadlines`).
    public static func drive<Session: DrivenSession, Calls: SessionCalls>(
        _ channel: any Channel, admitted: Admitted, session: Session, makeCalls: @escaping @Sendable (any DriverOutput) -> Calls,
        tls: NIOSSLContext?, implicitTLS: Bool, writeTimeout: @escaping @Sendable () -> Duration,
        deadlines: ConnectionDeadlines, inputCounter: Counter? = nil
    ) throws where Calls.Action == Session.Action, Calls.Answer == Session.Answer {
        let logger = admitted.logger
        let loginClock = LoginClock()
        // Before login a flush waiting on a peer that reads nothing must not outlast the login
        // deadline either: the driver, stuck in it, checks no clock meanwhile. The driver tells
        // this clock when its deadline starts again (progress) and when it ends (login).
        let guardedWriteTimeout: @Sendable () -> Duration = {
            let timeout = writeTimeout()
            guard let login = deadlines.login, !loginClock.loggedIn.load(ordering: .relaxed) else { return timeout }
            return min(timeout, max(.seconds(1), login - loginClock.elapsed + .seconds(1)))
        }
        if implicitTLS, let tls {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        }
        try channel.pipeline.syncOperations.addHandler(DriverEventHandler())
        let async = try NIOAsyncChannel<DriverEvent, ByteBuffer>(wrappingChannelSynchronously: channel)
        let output = ChannelOutput(
            channel: channel, writeTimeout: guardedWriteTimeout,
            makeTLSHandler: tls.map { tls in { @Sendable in NIOSSLServerHandler(context: tls) } })
        // On the connection's own event loop (`EventLoopExecutor`): no thread switch per command.
        Task(executorPreference: EventLoopExecutor(channel.eventLoop)) {
            var driver = SessionDriver(
                session: session, calls: makeCalls(output), clock: ContinuousClock(), logger: logger,
                inputCounter: inputCounter, deadlines: deadlines,
                onAuthenticated: {
                    loginClock.loggedIn.store(true, ordering: .relaxed)
                    admitted.markAuthenticated()
                },
                onProgress: { loginClock.restart() })
            do {
                try await async.executeThenClose { inbound, _ in
                    await driver.run(inbound, output: output)
                }
            } catch {
                logger.debug("connection ended", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// The login deadline's clock as the write timeout sees it, from another task than the
/// driver's: when it last started (connection or progress) and whether it has ended (login).
private final class LoginClock: Sendable {
    let loggedIn = Atomic(false)
    private let base = ContinuousClock.now
    /// Nanoseconds from `base` to the deadline's latest start.
    private let since = Atomic<Int64>(0)

    var elapsed: Duration {
        base.duration(to: .now) - .nanoseconds(since.load(ordering: .relaxed))
    }

    func restart() {
        let (seconds, attoseconds) = base.duration(to: .now).components
        since.store(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, ordering: .relaxed)
    }
}
