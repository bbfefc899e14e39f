import Synchronization

/// The feeds an IDLE listens to, merged into one stream of nudges so that the session handles
/// them one at a time: the account's own, a selected shared mailbox's owner's (RFC 4314), and
/// the owners' NOTIFY reads for the shared mailboxes it watches (RFC 5465). Feeds join while
/// IDLE lasts (a grant may bring a new owner); none leaves before it ends, as a feed no longer
/// needed only costs a nudge that finds nothing to read.
final class IdleWatch: Sendable {
    private struct State {
        var feeds: [String: @Sendable () -> Void] = [:]
        var forwarders: [Task<Void, Never>] = []
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
    /// change watcher).
    func watch(_ feeds: Set<String>) {
        for feed in feeds.sorted() {
            let added = state.withLock { state -> Bool in
                guard !state.stopped, state.feeds[feed] == nil else { return false }
                state.feeds[feed] = {}
                return true
            }
            guard added else { continue }
            let (stream, cancel) = watcher.subscribe(feed)
            let forwarder = Task { [sink] in
                for await _ in stream { sink.yield() }
            }
            let late = state.withLock { state -> Bool in
                guard !state.stopped else { return true }
                state.feeds[feed] = cancel
                state.forwarders.append(forwarder)
                return false
            }
            if late {
                cancel()
                forwarder.cancel()
            }
        }
    }

    func stop() {
        let (cancels, forwarders) = state.withLock { state in
            state.stopped = true
            defer {
                state.feeds = [:]
                state.forwarders = []
            }
            return (Array(state.feeds.values), state.forwarders)
        }
        cancels.forEach { $0() }
        forwarders.forEach { $0.cancel() }
        sink.finish()
    }
}
