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

    /// The peer's last input (and the session's last write, if `timeoutCountsFromWrites`):
    /// the silence clock.
    private var lastInput: C.Instant
    private var partialSince: C.Instant?
    private var content: (since: C.Instant, bytes: Int)?
    /// After STARTTLS: input until the boundary was sent in the clear, and is dropped.
    private var droppingPlaintext = false
    private var shuttingDown = false
    private var closed = false
    /// The session closed the connection itself (`.close`), so it knows it has ended.
    private var closedBySession = false
    /// Why the driver closed the connection (a write or STARTTLS failed).
    private var failure: (any Error)?

    public init(session: Session, calls: Calls, clock: C, logger: Logger, inputCounter: Counter? = nil) {
        self.session = session
        self.inputCounter = inputCounter
        self.calls = calls
        self.clock = clock
        self.logger = logger
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
            inputCounter?.increment(by: buffer.readableBytes)
            if content != nil { content!.bytes += buffer.readableBytes }
            await perform(session.receive(Array(buffer.readableBytesView)), output)
        case .tlsBoundary:
            droppingPlaintext = false
        case .tlsEstablished:
            await perform(session.tlsEstablished(), output)
        case .shutdown:
            shuttingDown = true
        case .tick:
            if expired() {
                logger.info("timeout")
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

    /// One of the clocks ran out: silence, an unfinished command line, or content arriving
    /// slower than the session's floor (RFC 5321 §4.5.3.2; RFC 1939 §3; RFC 9051 §5.4).
    func expired() -> Bool {
        let now = clock.now, timeout = session.inactivityTimeout
        if lastInput.duration(to: now) > timeout { return true }
        if let since = partialSince, since.duration(to: now) > timeout { return true }
        if let content, let rate = session.minimumDataRate {
            let elapsed = content.since.duration(to: now)
            if elapsed > timeout, Double(content.bytes) < Double(rate) * elapsed.seconds { return true }
        }
        return false
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

    /// After each step: start or stop the unfinished-line and content clocks.
    private mutating func watchClocks() {
        partialSince = session.hasPartialCommand ? (partialSince ?? clock.now) : nil
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
