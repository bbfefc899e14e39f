import Hummingbird
import ServiceLifecycle
import StoreAPI

/// `GET /v1/accounts/{account}/changes?since=MODSEQ&wait=SECONDS&limit=N`: the change feed,
/// by polling or long polling (held until a change or `wait` seconds).
struct ChangeRoutes {
    let store: StoreContext

    /// Longest a request may be held; gateways simply ask again.
    static let maxWait = 60
    /// Accounts one watch may name: a gateway with more users splits them.
    static let maxWatched = 10_000
    static let defaultLimit = 1_000
    static let maxLimit = 10_000

    func add(to router: Router<StoreRequestContext>) {
        router.on(
            StoreOperations.getChanges,
            raw: { request, context, _ in
                let account = try RouteSupport.account(context)
                // MODSEQs are 63-bit (RFC 7162 §7 mod-sequence-value), as SQLite stores them.
                let since = try RouteSupport.query(request, "since", in: 0...UInt64(Int64.max), default: 0)
                let wait = try RouteSupport.query(request, "wait", in: 0...Self.maxWait, default: 0)
                let limit = try RouteSupport.query(request, "limit", in: 1...Self.maxLimit, default: Self.defaultLimit)
                // Another account of the domain reading the feed of mailboxes shared with it.
                let reader = try request.uri.queryParameters.get("reader").map { try RouteSupport.address(String($0)) }
                guard let id = try await store.storage.accountID(account) else {
                    throw StoreError.notFound(APIErrorCode.userNotFound, "no such account")
                }
                let version = store.notifier.version(account: id)
                var feed = try await store.storage.changes(account: account, since: since, limit: limit, reader: reader)
                if feed.changes.isEmpty && wait > 0 {
                    await Self.waitWhileConnected(request) {
                        await store.notifier.wait(account: id, after: version, timeout: .seconds(wait))
                    } onGracefulShutdown: {
                        store.notifier.wakeAll()
                    }
                    feed = try await store.storage.changes(account: account, since: since, limit: limit, reader: reader)
                    return Self.closing(try RouteSupport.json(feed))
                }
                return try RouteSupport.json(feed)
            })
        // One long poll for many accounts: a gateway's logged-in users.
        router.on(
            StoreOperations.watchAccounts,
            raw: { request, context, _ in
                // The body collected into the request itself: the wait below watches the rest of
                // the connection (Hummingbird refuses a body read elsewhere and left half-used).
                var request = request
                _ = try await request.collectBody(upTo: context.maxUploadSize)
                let body = try await RequestBody<WatchRequest>(request: request, context: context)()
                guard (0...Self.maxWait).contains(body.wait), body.accounts.count <= Self.maxWatched else {
                    throw StoreError.badRequest(
                        APIErrorCode.badRequest, "wait is 0 to \(Self.maxWait) seconds, at most \(Self.maxWatched) accounts")
                }
                // Versions first, then the MODSEQs: a commit in between wakes the wait at once.
                let ids = try await store.storage.accountModSeqs(Array(body.accounts.keys))
                let versions = store.notifier.versions(accounts: ids.values.map(\.id))
                var known = try await store.storage.accountModSeqs(Array(ids.keys))
                var changed = known.filter { $0.value.modSeq > body.accounts[$0.key] ?? 0 }
                if changed.isEmpty && body.wait > 0 && !known.isEmpty {
                    await Self.waitWhileConnected(request) {
                        await store.notifier.wait(accounts: versions, timeout: .seconds(body.wait))
                    } onGracefulShutdown: {
                        store.notifier.wakeAll()
                    }
                    known = try await store.storage.accountModSeqs(Array(known.keys))
                    changed = known.filter { $0.value.modSeq > body.accounts[$0.key] ?? 0 }
                    return Self.closing(try RouteSupport.json(WatchResult(accounts: changed.mapValues(\.modSeq))))
                }
                return try RouteSupport.json(WatchResult(accounts: changed.mapValues(\.modSeq)))
            })
    }

    /// A long poll's answer says `Connection: close`: Hummingbird closes the connection after
    /// it (see below), and the client must not send its next request on it.
    static func closing(_ response: Response) -> Response {
        var response = response
        response.headers[.connection] = "close"
        return response
    }

    /// A long poll's wait, ended early when the store goes down (it must not wait out its long
    /// polls, up to a minute each) or when the client hangs up. A gateway cancels its watch
    /// whenever an account logs in (to name it in the next one); a wait that outlived its
    /// client held the connection and the request for up to `wait` seconds, ~150 KiB each, so
    /// a burst of 1,000 logins left the store ~147 MiB larger (issue 12, item 7). Hummingbird
    /// closes the connection after such a response: one new connection per long poll.
    static func waitWhileConnected(
        _ request: Request, _ wait: @escaping @Sendable () async -> Void, onGracefulShutdown: @escaping @Sendable () -> Void
    ) async {
        _ = try? await request.body.consumeWithCancellationOnInboundClose { _ in
            await withGracefulShutdownHandler {
                await wait()
            } onGracefulShutdown: {
                onGracefulShutdown()
            }
        }
    }
}
