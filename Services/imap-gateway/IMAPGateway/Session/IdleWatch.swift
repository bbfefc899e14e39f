import StoreClient
import Synchronization

/// The feeds an IDLE listens to, merged into one stream of nudges so that the session handles
/// them one at a time: the account's own, a selected shared mailbox's owner's (RFC 4314), and
/// the owners' NOTIFY reads for the shared mailboxes it watches (RFC 5465). Feeds join while
/// IDLE lasts (a grant may bring a new owner); none leaves before it ends, as a feed no longer
/// needed only costs a nudge that finds nothing to read.
final class IdleWatch: Sendable {
    private struct State {
        var cancels: [String: @Sendable () -> Void] = [:]
        var stopped = false
    }
    private let watcher: ChangeWatcher
    private let sink: AsyncStream<Void>.Continuation
    /// One element whenever any watched feed moved.
    let nudges: AsyncStream<Void>
    private let state = Mutex(State())

    init(watcher: ChangeWatcher) {
        self.watcher = watcher
        (nudges, sink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts listening to the feeds not listened to yet (each must be registered with the
    /// change watcher). The watcher calls into the stream directly: no task per feed.
    func watch(_ feeds: Set<String>) {
        for feed in feeds.sorted() {
            let new = state.withLock { state -> Bool in !state.stopped && state.cancels[feed] == nil }
            guard new else { continue }
            let cancel = watcher.subscribe(feed) { [sink] in sink.yield() }
            let late = state.withLock { state -> Bool in
                guard !state.stopped, state.cancels[feed] == nil else { return true }
                state.cancels[feed] = cancel
                return false
            }
            if late { cancel() }
        }
    }

    func stop() {
        let cancels = state.withLock { state in
            state.stopped = true
            defer { state.cancels = [:] }
            return Array(state.cancels.values)
        }
        cancels.forEach { $0() }
        sink.finish()
    }
}
