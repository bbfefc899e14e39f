import Logging
import Metrics

/// Runs one connection: feeds its `DrivenSession` the connection's events one at a time and
/// performs the actions it returns. It decides nothing about the protocol; it owns what every
/// protocol shares: the timeouts (on an injectable clock, so tests need no sleeping), the
/// data-rate floor, the STARTTLS plaintext guard, graceful shutdown and the end of the
/// connection. Used by the SMTP, POP3 and IMAP servers and the relay's SMTP client.
public struct SessionDriver<Session: DrivenSession, Calls: SessionCalls, C: Clock>
where Calls.Action == Session.Action, Calls.Answer == Session.Answer, C.Duration == Duration {
    public private(set) var session: Session
    var calls: Calls
    let clock: C
    let logger: Logger
    /// Counts the peer's bytes (e.g. `buzon_smtp_received_bytes_total`).
    let inputCounter: Counter?

    /// The login deadline and the command-line rate floor (servers only).
    let deadlines: ConnectionDeadlines
    /// Told once, when the session becomes authenticated (the limiter then never evicts it).
    let onAuthenticated: @Sendable () -> Void
    /// Told when the session's `progress` starts the login deadline again.
    let onProgress: @Sendable () -> Void

    /// When the connection began: the login deadline counts from here.
    /// The login deadline counts from here: the start, or the session's last `progress`.
    private var deadlineFrom: C.Instant
    private var progress = 0
    /// The peer's last input (and the session's last write, if `timeoutCountsFromWrites`):
    /// the silence clock.
    private var lastInput: C.Instant
    /// The unfinished command line: since when, and the bytes read since (counting the whole
    /// read that began it: in the peer's favour).
    private var partial: (since: C.Instant, bytes: Int)?
    private var content: (since: C.Instant, bytes: Int)?
    /// The size of the last read, for the line that it began.
    private var lastRead = 0
    private var reportedAuthenticated = false
    /// After STARTTLS: input until the boundary was sent in the clear, and is dropped.
    private var droppingPlaintext = false
    private var shuttingDown = false
    private var closed = false
    /// The session closed the connection itself (`.close`), so it knows it has ended.
    private var closedBySession = false
    /// Why the driver closed the connection (a write or STARTTLS failed).
    private var failure: (any Error)?

    public init(
        session: Session, calls: Calls, clock: C, logger: Logger, inputCounter: Counter? = nil,
        deadlines: ConnectionDeadlines = .none, onAuthenticated: @escaping @Sendable () -> Void = {},
        onProgress: @escaping @Sendable () -> Void = {}
    ) {
        self.session = session
        self.inputCounter = inputCounter
        self.calls = calls
        self.clock = clock
        self.logger = logger
        self.deadlines = deadlines
        self.onAuthenticated = onAuthenticated
        self.onProgress = onProgress
        self.deadlineFrom = clock.now
        self.lastInput = clock.now
    }

    /// Runs until the session closes, the peer goes away or `events` ends. A session that did
    /// not close the connection itself hears how it ended (`connectionEnded`) before its calls
    /// are finished.
    public mutating func run<Events: AsyncSequence>(_ events: Events, output: any DriverOutput) async
    where Events.Element == DriverEvent {
        await start(output)
        var streamError: (any Error)?
        if !closed {
            do {
                for try await event in events {
                    await handle(event, output)
                    if closed { break }
                }
            } catch {
                logger.debug("connection ended", metadata: ["error": "\(error)"])
                streamError = error
            }
        }
        if !closedBySession {
            await ended(failure ?? streamError, output)
        }
        await calls.finished()
    }

    /// The connection is gone under the session: it hears so, and the calls it returns are
    /// performed (its writes are dropped: there is no one to write to).
    mutating func ended(_ error: (any Error)?, _ output: any DriverOutput) async {
        closed = true
        await perform(session.connectionEnded(error), output)
    }

    mutating func start(_ output: any DriverOutput) async {
        await perform(session.start(), output)
    }

    mutating func handle(_ event: DriverEvent, _ output: any DriverOutput) async {
        guard !closed else { return }
        switch event {
        case .input(let buffer):
            guard !droppingPlaintext else { return }
            lastInput = clock.now
            lastRead = buffer.readableBytes
            inputCounter?.increment(by: buffer.readableBytes)
            if content != nil { content!.bytes += buffer.readableBytes }
            if partial != nil { partial!.bytes += buffer.readableBytes }
            await perform(session.receive(Array(buffer.readableBytesView)), output)
        case .tlsBoundary:
            droppingPlaintext = false
        case .tlsEstablished:
            await perform(session.tlsEstablished(), output)
        case .shutdown:
            shuttingDown = true
        case .evicted:
            // Chosen while it was not authenticated; a login that finished since keeps it.
            if !session.isAuthenticated {
                logger.info("evicted: connection queue full")
                await perform(session.evicted(), output)
            }
        case .tick:
            if let reason = expired() {
                logger.info("timeout", metadata: ["reason": "\(reason)"])
                await perform(session.timedOut(), output)
            } else if await !calls.tick() {
                await output.close()
                closed = true
            }
        }
        if shuttingDown && !closed {
            await perform(session.shutdown(), output)
        }
    }

    /// Which clock ran out.
    enum Expiry: Equatable, CustomStringConvertible {
        case silence, unfinishedLine, slowLine, slowContent, loginDeadline
        var description: String {
            switch self {
            case .silence: "silence"
            case .unfinishedLine: "unfinished command line"
            case .slowLine: "command line below the minimum rate"
            case .slowContent: "content below the minimum rate"
            case .loginDeadline: "not authenticated in time"
            }
        }
    }

    /// One of the clocks ran out: silence, an unfinished command line, a line or content
    /// arriving slower than its floor (RFC 5321 §4.5.3.2; RFC 1939 §3; RFC 9051 §5.4), or no
    /// login by the deadline (`ConnectionDeadlines`).
    func expired() -> Expiry? {
        let now = clock.now, timeout = session.inactivityTimeout
        if lastInput.duration(to: now) > timeout { return .silence }
        if let partial {
            let elapsed = partial.since.duration(to: now)
            if elapsed > timeout { return .unfinishedLine }
            if let rate = deadlines.minimumLineRate, elapsed > ConnectionDeadlines.lineRateGrace,
                Double(partial.bytes) < Double(rate) * elapsed.seconds
            {
                return .slowLine
            }
        }
        if let content, let rate = session.minimumDataRate {
            let elapsed = content.since.duration(to: now)
            if elapsed > timeout, Double(content.bytes) < Double(rate) * elapsed.seconds { return .slowContent }
        }
        // Content at its own floor is not cut in the middle (a big message on port 25).
        if let login = deadlines.login, !session.isAuthenticated, content == nil, deadlineFrom.duration(to: now) > login {
            return .loginDeadline
        }
        return nil
    }

    /// Performs `actions` in order; a call's answer is resumed at once and what the session
    /// says to that comes before the rest. Once the connection is closed, writes are dropped
    /// but calls are still performed: an outcome the session already decided (the relay's
    /// result for a message) must reach its calls even when the last write failed.
    mutating func perform(_ actions: [Session.Action], _ output: any DriverOutput) async {
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch Session.step(action) {
            case .write(let bytes):
                guard !closed else { continue }
                output.write(bytes)
                if Session.timeoutCountsFromWrites { lastInput = clock.now }
            case .startTLS:
                guard !closed else { continue }
                do {
                    try await output.startTLS()
                    droppingPlaintext = true
                } catch {
                    await fail(error, output)
                }
            case .close:
                guard !closed else { continue }
                await output.close()
                closed = true
                closedBySession = true
            case .call(let call):
                if !closed {
                    do { try await output.flush() } catch { await fail(error, output) }
                }
                if let answer = await calls.perform(call, output: output) {
                    // The wait was ours, not the peer's: its silence counts from now.
                    lastInput = clock.now
                    queue = session.resume(answer)[...] + queue
                }
            }
        }
        if !closed {
            do { try await output.flush() } catch { await fail(error, output) }
        }
        watchClocks()
    }

    /// A write or the TLS start failed: the peer is gone or stuck; close, and remember why
    /// for `connectionEnded`.
    private mutating func fail(_ error: any Error, _ output: any DriverOutput) async {
        logger.debug("write failed", metadata: ["error": "\(error)"])
        await output.close()
        closed = true
        failure = error
    }

    /// After each step: start or stop the unfinished-line and content clocks, and tell the
    /// limiter once the session has logged in.
    private mutating func watchClocks() {
        if !session.hasPartialCommand {
            partial = nil
        } else if partial == nil {
            partial = (clock.now, lastRead)
        }
        lastRead = 0
        if session.progress != progress {
            progress = session.progress
            deadlineFrom = clock.now
            onProgress()
        }
        if !reportedAuthenticated && session.isAuthenticated {
            reportedAuthenticated = true
            onAuthenticated()
        }
        if session.minimumDataRate == nil {
            content = nil
        } else if content == nil {
            content = (clock.now, 0)
        }
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
