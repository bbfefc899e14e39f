import Crypto
import StoreAPI
import Synchronization

/// Successful password checks remembered for a while, so that a client that reconnects (a
/// phone waking, a mail client opening its connections) does not pay bcrypt again, as
/// Dovecot's `auth_cache` does (doc.dovecot.org, "Authentication Caching").
///
/// - Only a success enters: a wrong password never reads as a hit, and is checked with bcrypt
///   as before (the same work for existing and unknown names: no timing oracle).
/// - Kept per account: HMAC-SHA-256, under a key held only in this process's memory, of the
///   account, its bcrypt hash and the password (never the password, nor a plain hash a
///   dictionary would read), with the account's credential version and an expiry
///   (`BUZON_AUTH_CACHE_SECONDS`).
/// - A hit needs the version and hash read from the database at this login to be those the
///   entry was made with. A password change bumps the version in the same write
///   (`v8-credential-version`), so the old password stops working at once on every store
///   replica that shares the database, without a message between them; a deleted account has
///   no row, so no hit.
/// - At most `capacity` accounts (`BUZON_AUTH_CACHE_SIZE`); when full, expired entries go
///   first, then the least recently used eighth.
///
/// The throttle (`LoginPolicy.throttled`) runs around it unchanged: a locked client or account
/// is refused before the cache is looked at, and a hit is a success like any other.
final class AuthCache: Sendable {
    struct Entry {
        var digest: [UInt8]
        var version: Int64
        var expires: Double
        var used: UInt64
    }

    struct State {
        var entries: [String: Entry] = [:]
        var tick: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    /// Seconds a success is remembered; 0 turns the cache off.
    let ttl: Double
    let capacity: Int
    private let key: [UInt8] = (0..<32).map { _ in UInt8.random(in: 0...255) }
    private let state = Mutex(State())

    init(ttl: Double, capacity: Int) {
        self.ttl = ttl
        self.capacity = capacity
    }

    var isEnabled: Bool { ttl > 0 && capacity > 0 }

    /// Whether `password` was checked good for `account` at this credential, within the TTL.
    func contains(_ account: String, credential: PasswordCredential, password: String, now: Double) -> Bool {
        guard isEnabled else { return false }
        let digest = self.digest(account, credential: credential, password: password)
        return state.withLock { state in
            guard var entry = state.entries[account] else {
                state.misses += 1
                return false
            }
            guard entry.expires > now, entry.version == credential.version else {
                // Stale for every password: dropped.
                state.entries[account] = nil
                state.misses += 1
                return false
            }
            // A wrong password leaves the owner's entry alone.
            guard ConstantTime.equal(entry.digest, digest) else {
                state.misses += 1
                return false
            }
            state.tick += 1
            entry.used = state.tick
            state.entries[account] = entry
            state.hits += 1
            return true
        }
    }

    /// Remembers a password bcrypt has just found good. Never called for a failure.
    func remember(_ account: String, credential: PasswordCredential, password: String, now: Double) {
        guard isEnabled else { return }
        let digest = self.digest(account, credential: credential, password: password)
        state.withLock { state in
            if state.entries[account] == nil, state.entries.count >= capacity {
                Self.evict(&state, now: now, capacity: capacity)
            }
            state.tick += 1
            state.entries[account] = Entry(digest: digest, version: credential.version, expires: now + ttl, used: state.tick)
        }
    }

    /// Drops an account's entry: its password changed or it was deleted through this replica
    /// (the others see the version).
    func forget(_ account: String) {
        state.withLock { _ = $0.entries.removeValue(forKey: account) }
    }

    var count: Int { state.withLock { $0.entries.count } }
    /// Lookups that found a good entry, and those that did not, since start.
    var statistics: (hits: Int, misses: Int) { state.withLock { ($0.hits, $0.misses) } }

    private func digest(_ account: String, credential: PasswordCredential, password: String) -> [UInt8] {
        let message = ["auth cache", account, credential.hash, password].joined(separator: "\0")
        return Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }

    private static func evict(_ state: inout State, now: Double, capacity: Int) {
        state.entries = state.entries.filter { $0.value.expires > now }
        guard state.entries.count >= capacity else { return }
        let oldest = state.entries.sorted { $0.value.used < $1.value.used }.prefix(max(1, capacity / 8))
        for (account, _) in oldest { state.entries[account] = nil }
    }
}
