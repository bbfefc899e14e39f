import Logging
import ServiceLifecycle
import Synchronization

/// Knows, for every account logged in to a gateway (or the webmail), the newest MODSEQ in the store, from
/// one long poll (`POST /v1/watch`) for all of them: a thousand sessions cost one waiting
/// store request, not a thousand.
///
/// Sessions in IDLE subscribe and get a nudge when their account changes; every session asks
/// `latest` before a command, and skips reading the change feed when nothing can have changed.
public final class ChangeWatcher: Service, Sendable {
    private struct State {
        /// Logged-in sessions per account.
        var interest: [String: Int] = [:]
        /// Newest MODSEQ seen per account; absent while unknown (or the store unreachable).
        var latest: [String: UInt64] = [:]
        /// Called (on the poll's task, briefly) whenever the account's feed grows.
        var subscribers: [String: [Int: @Sendable () -> Void]] = [:]
        var nextID = 0
        var poll: Task<Void, Never>?
        var stopped = false
    }
    private let state = Mutex(State())
    private let client: StoreClient
    private let logger: Logger
    /// How long one store request waits for a change (the store caps it at 60 s).
    static let pollSeconds = 25

    public init(client: StoreClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        let poll = state.withLock { state -> Task<Void, Never>? in
            state.stopped = true
            state.subscribers = [:]
            defer { state.poll = nil }
            return state.poll
        }
        poll?.cancel()
    }

    /// The newest MODSEQ known for a logged-in account, nil when unknown.
    public func latest(_ account: String) -> UInt64? {
        state.withLock { $0.latest[account] }
    }

    /// A session logged in as `account`: watch it from now on.
    public func register(_ account: String) {
        let restart = state.withLock { state -> Bool in
            state.interest[account, default: 0] += 1
            return state.interest[account] == 1 && !state.stopped
        }
        if restart { restartPoll() }
    }

    /// A session of `account` ended.
    public func unregister(_ account: String) {
        let idle = state.withLock { state -> Task<Void, Never>? in
            state.interest[account, default: 1] -= 1
            guard state.interest[account] == 0 else { return nil }
            state.interest[account] = nil
            state.latest[account] = nil
            // Nobody left to watch for: end the poll rather than hold a store request.
            guard state.interest.isEmpty else { return nil }
            defer { state.poll = nil }
            return state.poll
        }
        idle?.cancel()
    }

    /// Calls `onChange` whenever the account's feed grows, until `cancel`. The account must
    /// be registered. A call, not a stream: an IDLE session listens without a task of its own
    /// per feed (each task keeps its frames' memory while it lives).
    public func subscribe(_ account: String, onChange: @escaping @Sendable () -> Void) -> (@Sendable () -> Void) {
        let id = state.withLock { state -> Int? in
            guard !state.stopped else { return nil }
            state.nextID += 1
            state.subscribers[account, default: [:]][state.nextID] = onChange
            return state.nextID
        }
        guard let id else { return {} }
        return { [self] in
            state.withLock { state in
                state.subscribers[account]?.removeValue(forKey: id)
                if state.subscribers[account]?.isEmpty == true { state.subscribers[account] = nil }
            }
        }
    }

    /// A new account joins the watch: the poll in flight does not name it, so start over.
    private func restartPoll() {
        let task = Task { [self] in await poll() }
        let old = state.withLock { state -> Task<Void, Never>? in
            defer { state.poll = task }
            return state.poll
        }
        old?.cancel()
    }

    private func poll() async {
        var failures = 0
        while !Task.isCancelled {
            let watched = state.withLock { state in state.interest.keys.map { ($0, state.latest[$0]) } }
            guard !watched.isEmpty else { return }  // the next login restarts it
            do {
                let known = Dictionary(uniqueKeysWithValues: watched.map { ($0.0, $0.1 ?? 0) })
                // Accounts not known yet are answered at once; then the real wait.
                let anyUnknown = watched.contains { $0.1 == nil }
                let asked = ContinuousClock.now
                let changed = try await client.watch(known, wait: anyUnknown ? 0 : Self.pollSeconds)
                if changed.isEmpty && !anyUnknown && ContinuousClock.now - asked < .milliseconds(100) {
                    // An empty answer long before the wait was up: the store is going down.
                    try? await Task.sleep(for: .milliseconds(500))
                }
                failures = 0
                let wake = state.withLock { state -> [@Sendable () -> Void] in
                    var wake: [@Sendable () -> Void] = []
                    for (account, _) in watched where state.interest[account] != nil {
                        guard let modSeq = changed[account] else {
                            // Unchanged: what we asked with is the newest (0 for an account never changed).
                            state.latest[account] = state.latest[account] ?? known[account]
                            continue
                        }
                        state.latest[account] = max(state.latest[account] ?? 0, modSeq)
                        wake += (state.subscribers[account] ?? [:]).values
                    }
                    return wake
                }
                wake.forEach { $0() }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                // Stale knowledge would hide changes: sessions read the feed themselves meanwhile.
                state.withLock { $0.latest = [:] }
                if failures == 1 { logger.warning("change watch unavailable", metadata: ["error": "\(error)"]) }
                try? await Task.sleep(for: .milliseconds(min(5000, 200 * failures)))
            }
        }
    }
}
