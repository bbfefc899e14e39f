import NIOCore

/// The two clocks every line-protocol connection runs (RFC 5321 §4.5.3.2, RFC 1939 §3): time
/// since the client last sent anything, and time since an unfinished command line began (a
/// client trickling a byte a second must not keep its slot). The connection's watchdog asks
/// `expired` once a second.
///
/// NIO's IdleStateHandler is not used: a TLS handler added mid-stream (STARTTLS, STLS) can
/// swallow the read-complete event it relies on, and a stalled handshake would never time out.
public struct InactivityWatch: Sendable {
    public let timeout: TimeAmount
    private var lastInput = NIODeadline.now()
    private var partialSince: NIODeadline?

    public init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// Bytes arrived.
    public mutating func input() {
        lastInput = .now()
    }

    /// After handling input: whether a command line is still unfinished.
    public mutating func commandLine(unfinished: Bool) {
        partialSince = unfinished ? (partialSince ?? .now()) : nil
    }

    /// One of the clocks ran past the timeout.
    public func expired(now: NIODeadline = .now()) -> Bool {
        if now - lastInput > timeout { return true }
        if let since = partialSince, now - since > timeout { return true }
        return false
    }
}
