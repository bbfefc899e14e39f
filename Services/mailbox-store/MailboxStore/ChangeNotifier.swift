import Synchronization

/// Wakes long-polling change-feed requests when an account changes.
///
/// Writers call `notify(account:)` after a commit; a reader that found nothing new calls
/// `wait(account:after:timeout:)`, which returns as soon as the account's version moves past
/// the one it saw, or when the time is up. Versions make a notify between the reader's query
/// and its wait impossible to miss.
public final class ChangeNotifier: Sendable {
    private struct Waiter {
        var accounts: Set<Int64>
        var continuation: CheckedContinuation<Void, Never>
    }
    private struct State {
        var versions: [Int64: UInt64] = [:]
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
        /// Waiters whose time ran out before they registered: they must not register.
        var finished: Set<UInt64> = []
        /// The store is shutting down: nobody waits any more.
        var closed = false
    }
    private let state = Mutex(State())

    public init() {}

    /// The account's current version, to pass to `wait` after reading.
    public func version(account: Int64) -> UInt64 {
        state.withLock { $0.versions[account, default: 0] }
    }

    /// Every account's version at once.
    public func versions(accounts: [Int64]) -> [Int64: UInt64] {
        state.withLock { s in Dictionary(uniqueKeysWithValues: accounts.map { ($0, s.versions[$0, default: 0]) }) }
    }

    /// Wakes every waiter, and makes later waits return at once: the store is shutting down.
    public func wakeAll() {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.closed = true
            defer { s.waiters = [:] }
            return s.waiters.values.map(\.continuation)
        }
        woken.forEach { $0.resume() }
    }

    public func notify(account: Int64) {
        let woken = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.versions[account, default: 0] &+= 1
            let ids = s.waiters.filter { $0.value.accounts.contains(account) }.map(\.key)
            return ids.compactMap { s.waiters.removeValue(forKey: $0)?.continuation }
        }
        woken.forEach { $0.resume() }
    }

    public func wait(account: Int64, after version: UInt64, timeout: Duration) async {
        await wait(accounts: [account: version], timeout: timeout)
    }

    /// The same for several accounts: returns when any of them moves past its version.
    public func wait(accounts versions: [Int64: UInt64], timeout: Duration) async {
        let id = state.withLock { s -> UInt64 in
            s.nextWaiter &+= 1
            return s.nextWaiter
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLock { s -> Bool in
                        if s.closed || versions.contains(where: { s.versions[$0.key, default: 0] != $0.value })
                            || s.finished.remove(id) != nil
                        {
                            return true
                        }
                        s.waiters[id] = Waiter(accounts: Set(versions.keys), continuation: continuation)
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.cancel(id)
            }
            await group.next()
            // Whichever finished first, make sure the other ends too.
            group.cancelAll()
            self.cancel(id)
        }
        state.withLock { _ = $0.finished.remove(id) }
    }

    private func cancel(_ id: UInt64) {
        let continuation = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let waiter = s.waiters.removeValue(forKey: id) { return waiter.continuation }
            s.finished.insert(id)
            return nil
        }
        continuation?.resume()
    }
}
