import Hummingbird
import MessageThreading
import StoreAPI

/// `POST …/mailboxes/{id}/sort` and `…/thread`: RFC 5256 SORT (with RFC 5957 DISPLAYFROM and
/// DISPLAYTO) and THREAD=ORDEREDSUBJECT / THREAD=REFERENCES answered from the read model: the
/// order is an ORDER BY over `message_index` with SEARCH's condition, threads are built from its
/// columns with `Shared/MessageThreading`; criteria SQL cannot answer exactly go through SEARCH
/// (`SearchRoutes.search`). SORT's `offset`/`limit` give a window of the sorted answer
/// (webmail's pages, RFC 5267 PARTIAL), as SQL's LIMIT/OFFSET.
struct SortRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        // The answers are written as JSON bytes by SortJSON (the declared SortResult and
        // ThreadResult shapes), not through JSONEncoder.
        router.on(
            StoreOperations.sortMessages,
            raw: { _, context, body in
                let account = try RouteSupport.account(context)
                let mailbox = try RouteSupport.int64(context, "id")
                let body = try await body()
                guard !body.criteria.isEmpty, (body.offset ?? 0) >= 0, (body.limit ?? 0) >= 0 else {
                    throw StoreError.badRequest(APIErrorCode.badRequest, "criteria must not be empty; offset and limit not negative")
                }
                let uids = try body.uids.map(RouteSupport.uidSet) ?? UIDSet.all
                if let window = try await store.storage.sortedWindow(
                    account: account, mailboxID: mailbox, uids: uids, criteria: body.criteria, query: body.query,
                    offset: body.offset ?? 0, limit: body.limit)
                {
                    return SortJSON.response(SortResult(uids: window.uids, total: window.total, highestModSeq: window.highestModSeq))
                }
                let sorted = try await store.storage.sortedMessages(
                    account: account, mailboxID: mailbox, uids: uids, criteria: body.criteria)
                let hits = try await Self.matching(sorted, store, account: account, mailbox: mailbox, uids: uids, query: body.query)
                let start = min(body.offset ?? 0, hits.count)
                let end = body.limit.map { start + min($0, hits.count - start) } ?? hits.count
                return SortJSON.response(
                    SortResult(uids: hits[start..<end].map { $0.uid }, total: hits.count, highestModSeq: hits.map { $0.modSeq }.max()))
            })
        router.on(
            StoreOperations.threadMessages,
            raw: { _, context, body in
                let account = try RouteSupport.account(context)
                let mailbox = try RouteSupport.int64(context, "id")
                let body = try await body()
                let uids = try body.uids.map(RouteSupport.uidSet) ?? UIDSet.all
                let ids = body.algorithm == .references
                var messages = try await store.storage.threadInput(
                    account: account, mailboxID: mailbox, uids: uids, query: body.query, messageIDs: ids)
                if messages == nil,
                    let all = try await store.storage.threadInput(
                        account: account, mailboxID: mailbox, uids: uids, query: .all, messageIDs: ids)
                {
                    let found = try await SearchRoutes.search(store, account: account, mailbox: mailbox, uids: uids, query: body.query)
                    let wanted = Set(found.map { $0.uid })
                    messages = all.filtered { wanted.contains(all.uids[$0]) }
                }
                let input = messages ?? ThreadInput()
                let threads =
                    switch body.algorithm {
                    case .references: ReferencesThreader.walk(input)
                    case .orderedSubject: OrderedSubjectThreader.walk(input)
                    }
                return SortJSON.response(threads)
            })
    }

    /// The sorted messages that match `query` (all when it is ALL).
    static func matching(
        _ sorted: [(uid: UInt32, modSeq: UInt64)], _ store: StoreContext, account: String, mailbox: Int64, uids: UIDSet,
        query: MessageQuery
    ) async throws -> [(uid: UInt32, modSeq: UInt64)] {
        guard query != .all else { return sorted }
        let found = try await SearchRoutes.search(store, account: account, mailbox: mailbox, uids: uids, query: query)
        let wanted = Set(found.map { $0.uid })
        return sorted.filter { wanted.contains($0.uid) }
    }
}
