import Metrics
import SMTPProtocol
import ServiceKit

/// The SMTP session on the shared `SessionDriver`: how its actions are performed, and what it
/// says when time runs out or the server goes down.
extension SMTPSession: BufferedSession {
    public static func step(_ action: SessionAction) -> DriverStep<SessionAction> {
        switch action {
        case .reply(let reply):
            if reply.code >= 400 {
                Counter(label: "buzon_smtp_refusals_total", dimensions: [("code", String(reply.code))]).increment()
            }
            return .write(reply.encoded)
        case .startTLS: return .startTLS
        case .close: return .close
        case .verifyLogin, .scram, .lookup, .beginContent, .content, .deliver: return .call(action)
        }
    }

    /// RFC 5321 §4.5.3.2: a server may close a connection that stays silent, and one that
    /// trickles a command line or the content must not hold its slot for ever.
    public mutating func timedOut() -> [SessionAction] {
        guard phase != .closed else { return [] }
        phase = .closed
        return [.reply(.timeout), .close]
    }

    /// `421` between commands (RFC 5321 §3.8); a transaction whose content is arriving, or
    /// that waits for the store, finishes first.
    public mutating func shutdown() -> [SessionAction] {
        guard phase != .closed, !isWaitingForStore, !isReceivingContent else { return [] }
        phase = .closed
        return [.reply(.shuttingDown), .close]
    }

    /// RFC 5321 §3.8: `421` when the server is full and this connection, not authenticated,
    /// makes room for a new one.
    public mutating func evicted() -> [SessionAction] {
        guard phase != .closed else { return [] }
        phase = .closed
        return [.reply(.tooManyConnections), .close]
    }

    /// After AUTH (RFC 4954): no login deadline, never evicted. Port 25 never logs in, so its
    /// session has the MX deadline (`SMTPConfiguration.mxDeadline`), counted again from each
    /// message's content (`progress`).
    public var isAuthenticated: Bool { authenticatedUser != nil }

    public var progress: Int { transactions }

    public var inactivityTimeout: Duration { settings.timeout }

    public var minimumDataRate: Int? { isReceivingContent ? settings.minDataRate : nil }
}
