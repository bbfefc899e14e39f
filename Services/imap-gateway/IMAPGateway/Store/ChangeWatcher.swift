import Logging
import ServiceLifecycle
import StoreClient
import Synchronization

/// One long poll of the store's change feed per account with a session in IDLE, fanned out to
/// every such session of this gateway: a thousand IDLE connections of one user cost one
/// waiting store request, not a thousand. Sessions get only a nudge (the account's newest
/// MODSEQ) and read the changes themselves from their own position in the feed.
///
/// It also remembers the newest MODSEQ it has seen per account, so a session that is not
/// idling can skip asking the store for changes when nothing can have happened.
public final class ChangeWatcher: Service, Sendable {
    private struct Watch {
        var subscribers: [Int: AsyncStream<UInt64>.Continuation] = [:]
        var task: Task<Void, Never>?
    }
    private struct State {
        var watches: [String: Watch] = [:]
        var nextID = 0
        var stopped = false
    }
    private let state = Mutex(State())
    private let client: StoreClient
    private let logger: Logger
    /// How long one store request waits for a change (the store caps it at 60 s).
    static let pollSeconds = 25

    init(client: StoreClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.stopped = true
            defer { state.watches = [:] }
            for watch in state.watches.values { watch.subscribers.values.forEach { $0.finish() } }
            return state.watches.values.compactMap(\.task)
        }
        tasks.forEach { $0.cancel() }
    }

    /// A stream of the account's newest MODSEQ, yielded whenever it grows; `cancel` ends it.
    func subscribe(_ account: String) -> (stream: AsyncStream<UInt64>, cancel: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream.makeStream(of: UInt64.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int? in
            guard !state.stopped else { return nil }
            state.nextID += 1
            let id = state.nextID
            state.watches[account, default: Watch()].subscribers[id] = continuation
            if state.watches[account]?.task == nil {
                state.watches[account]?.task = Task { [self] in await poll(account) }
            }
            return id
        }
        guard let id else {
            continuation.finish()
            return (stream, {})
        }
        return (stream, { [self] in unsubscribe(account, id) })
    }

    private func unsubscribe(_ account: String, _ id: Int) {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.watches[account]?.subscribers.removeValue(forKey: id)?.finish()
            guard state.watches[account]?.subscribers.isEmpty == true else { return nil }
            return state.watches.removeValue(forKey: account)?.task
        }
        task?.cancel()
    }

    private func poll(_ account: String) async {
        var since: UInt64?
        var failures = 0
        while !Task.isCancelled {
            do {
                let feed = try await client.changes(account, since: since ?? 0, wait: since == nil ? 0 : Self.pollSeconds, limit: 1)
                failures = 0
                if let known = since, feed.highestModSeq <= known { continue }
                since = feed.highestModSeq
                let subscribers = state.withLock { Array(($0.watches[account]?.subscribers ?? [:]).values) }
                subscribers.forEach { $0.yield(feed.highestModSeq) }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                if failures == 1 { logger.warning("change feed unavailable", metadata: ["account": "\(account)", "error": "\(error)"]) }
                try? await Task.sleep(for: .milliseconds(min(5000, 200 * failures)))
            }
        }
    }
}
