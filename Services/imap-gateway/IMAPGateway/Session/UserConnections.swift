import Synchronization

/// Logged-in sessions per account in this gateway: past the limit a login is refused with
/// `NO [LIMIT]` (RFC 5530), so one account cannot take every connection.
final class UserConnections: Sendable {
    private let counts = Mutex([String: Int]())
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func acquire(_ account: String) -> Bool {
        counts.withLock { counts in
            guard counts[account, default: 0] < limit else { return false }
            counts[account, default: 0] += 1
            return true
        }
    }

    func release(_ account: String) {
        counts.withLock { counts in
            counts[account, default: 1] -= 1
            if counts[account] == 0 { counts[account] = nil }
        }
    }
}
