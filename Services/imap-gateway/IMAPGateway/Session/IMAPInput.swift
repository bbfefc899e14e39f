import IMAPProtocol
import ServiceKit
import Synchronization

/// What the framing (`IMAPFraming`) hands the command session: framed commands, or what went wrong framing
/// them, in the order the client sent them.
enum IMAPInput: Sendable {
    /// A command, with the octets of its streamed literal (a big APPEND) spooled.
    case command(IMAPFramedCommand, spooled: SpooledLiteral? = nil)
    /// A literal over the limit; the command was dropped unread. RFC 9051 §7.1 TOOBIG
    case literalTooLarge(tag: String?, synchronizing: Bool)
    /// A line over the limit; the command was dropped.
    case lineTooLong(tag: String?)
    /// Nothing arrived for the autologout time. RFC 9051 §5.4
    case timedOut
    /// The gateway is shutting down: say BYE between commands.
    case shutdown
    /// The gateway is full and this connection, not logged in, makes room for a new one.
    case evicted
}

/// What the session and the inbound handler of one connection share across tasks.
final class ConnectionLimits: Sendable {
    /// The largest literal the reader accepts: small before login, APPEND-sized after.
    let maxLiteralSize: Atomic<Int>
    /// Seconds of silence before autologout: short before login, 30 minutes after.
    let timeoutSeconds: Atomic<Int>
    /// Logged in: no login deadline, never evicted to make room.
    let authenticated = Atomic(false)

    init(maxLiteralSize: Int, timeoutSeconds: Int) {
        self.maxLiteralSize = Atomic(maxLiteralSize)
        self.timeoutSeconds = Atomic(timeoutSeconds)
    }
}

/// The octets of one streamed literal, spooled by the inbound handler (memory, then an
/// unlinked file) and handed to the session with its command. Written only before the hand-off.
final class SpooledLiteral: @unchecked Sendable {
    private let spool: MessageSpool
    /// The spool could not be written (disk full): the command must fail.
    let failed: Bool

    init(spool: MessageSpool, failed: Bool) {
        self.spool = spool
        self.failed = failed
    }

    var contents: SpoolContents { spool.contents() }
}
