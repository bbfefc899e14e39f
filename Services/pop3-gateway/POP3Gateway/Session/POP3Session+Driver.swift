import Metrics
import POP3Protocol
import ServiceKit

/// The POP3 session on the shared `SessionDriver`.
extension POP3Session: BufferedSession {
    public static func step(_ action: SessionAction) -> DriverStep<SessionAction> {
        switch action {
        case .reply(let response):
            if !response.isOK { Counter(label: "buzon_pop3_errors_total").increment() }
            return .write(response.encoded)
        case .raw(let bytes): return .write(bytes)
        case .startTLS: return .startTLS
        case .close: return .close
        case .verifyLogin, .scram, .openMaildrop, .sendMessage, .expunge: return .call(action)
        }
    }

    /// RFC 1939 §3: the autologout timer closes without entering UPDATE (nothing is deleted).
    public mutating func timedOut() -> [SessionAction] {
        guard phase != .closed else { return [] }
        phase = .closed
        return [.reply(.autologout), .close]
    }

    /// `-ERR [SYS/TEMP]` between commands (RFC 3206 §4); a command in flight finishes first.
    public mutating func shutdown() -> [SessionAction] {
        guard phase != .closed, !isWaitingForStore else { return [] }
        phase = .closed
        return [.reply(.shuttingDown), .close]
    }

    /// The server is full and this connection, not logged in, makes room for a new one.
    public mutating func evicted() -> [SessionAction] {
        guard phase != .closed else { return [] }
        phase = .closed
        return [.reply(.tooManyConnections), .close]
    }

    /// The store accepted the credentials (the maildrop may still be opening): no login
    /// deadline, never evicted.
    public var isAuthenticated: Bool { account != nil }

    public var inactivityTimeout: Duration { settings.timeout }
}
