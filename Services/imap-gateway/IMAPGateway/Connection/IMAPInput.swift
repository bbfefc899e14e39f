import IMAPProtocol
import Synchronization

/// What the inbound handler hands the session: framed commands, or what went wrong framing
/// them, in the order the client sent them.
enum IMAPInput: Sendable {
    case command(IMAPFramedCommand)
    /// A literal over the limit; the command was dropped unread. RFC 9051 §7.1 TOOBIG
    case literalTooLarge(tag: String?, synchronizing: Bool)
    /// A line over the limit; the command was dropped.
    case lineTooLong(tag: String?)
    /// Nothing arrived for the autologout time. RFC 9051 §5.4
    case timedOut
    /// The gateway is shutting down: say BYE between commands.
    case shutdown
}

/// What the session and the inbound handler of one connection share across tasks.
final class ConnectionLimits: Sendable {
    /// The largest literal the reader accepts: small before login, APPEND-sized after.
    let maxLiteralSize: Atomic<Int>
    /// Seconds of silence before autologout: short before login, 30 minutes after.
    let timeoutSeconds: Atomic<Int>

    init(maxLiteralSize: Int, timeoutSeconds: Int) {
        self.maxLiteralSize = Atomic(maxLiteralSize)
        self.timeoutSeconds = Atomic(timeoutSeconds)
    }
}
