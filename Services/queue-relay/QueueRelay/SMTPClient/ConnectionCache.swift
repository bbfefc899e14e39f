import Foundation

/// Open SMTP sessions kept for the next message to the same host, as Postfix's scache does:
/// a new TCP connection, greeting, EHLO and TLS handshake per message would cost more than
/// the message. A session is kept a few seconds and for a bounded number of messages.
actor ConnectionCache {
    struct Entry {
        /// An idle session with its connection.
        var link: SMTPClientLink
        var idleSince: ContinuousClock.Instant
        var uses: Int
    }

    /// Postfix keeps idle sessions 2 s and reuses one up to 100 times; a little longer here
    /// since our workers poll the queue (the session's own idle timeout).
    static let idleLimit = SMTPClientTimeouts.rfc5321.idle
    static let useLimit = 100

    private var idle: [String: [Entry]] = [:]

    /// Sessions are kept per address, port and TLS policy: one opened without verified TLS
    /// must not carry mail for a domain that requires it.
    static func key(_ host: String, _ port: Int, verifiedTLS: Bool) -> String {
        "\(host):\(port)\(verifiedTLS ? "/verified-tls" : "")"
    }

    /// An idle session to `key`, if one is fresh enough.
    func take(_ key: String) -> Entry? {
        sweep()
        guard var list = idle[key], !list.isEmpty else { return nil }
        let entry = list.removeLast()
        idle[key] = list.isEmpty ? nil : list
        return entry
    }

    /// Keeps a session for reuse, or ends it when it has served enough.
    func put(_ key: String, _ entry: Entry) {
        guard entry.uses < Self.useLimit else {
            Self.quit(entry.link)
            return
        }
        var kept = entry
        kept.idleSince = .now
        idle[key, default: []].append(kept)
    }

    /// Ends sessions idle for too long.
    func sweep() {
        let now = ContinuousClock.now
        for (key, list) in idle {
            let (fresh, stale) = (list.filter { now - $0.idleSince < Self.idleLimit }, list.filter { now - $0.idleSince >= Self.idleLimit })
            stale.forEach { Self.quit($0.link) }
            idle[key] = fresh.isEmpty ? nil : fresh
        }
    }

    func closeAll() {
        idle.values.flatMap { $0 }.forEach { Self.quit($0.link) }
        idle = [:]
    }

    /// QUIT politely (the session bounds the wait for the answer), then close; nobody waits.
    nonisolated static func quit(_ link: SMTPClientLink) {
        Task { await link.end() }
    }
}
