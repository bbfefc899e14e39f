import Foundation
import Hummingbird
import InternetMessage
import MessageSearch
import StoreAPI

/// `POST /v1/accounts/{account}/mailboxes/{id}/search`: a typed query (`SearchRequest`,
/// IMAP SEARCH semantics) answered beside the messages: by the read model in SQL
/// (`IndexQuery`), and for what it cannot answer by `SearchEvaluator`, which reads those
/// messages a page at a time, with only the content the keys need, on every core.
struct SearchRoutes {
    let store: StoreContext

    /// Messages read from SQLite at once: bounded memory when bodies are read.
    static let page = 512

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.searchMessages) { _, context, body in
            let account = try RouteSupport.account(context)
            let mailbox = try RouteSupport.int64(context, "id")
            let body = try await body()
            let uids = try body.uids.map(RouteSupport.uidSet) ?? UIDSet("1:*")!
            let found = try await Self.search(store, account: account, mailbox: mailbox, uids: uids, query: body.query)
            let matched = found.map { $0.uid }
            let highest = found.map { $0.modSeq }.max()
            return SearchResult(uids: matched, highestModSeq: highest)
        }
    }

    /// The messages in `uids` matching `query`, ascending, with their MODSEQ (SEARCH, and the
    /// search part of SORT and THREAD).
    static func search(_ store: StoreContext, account: String, mailbox: Int64, uids: UIDSet, query: MessageQuery) async throws
        -> [(uid: UInt32, modSeq: UInt64)]
    {
        let prepared = try Self.prepare(query)
        // The header section is parsed here rather than the stored parse decoded: reading
        // fields from bytes is several times cheaper than decoding the JSON of a MIME tree.
        let read: SearchContentRead =
            switch prepared.contentNeed {
            case .none: .none
            case .header: .header
            case .full: .whole
            }
        // The read model answers what it can; the evaluator the rest (content not indexed
        // yet, or keys SQL cannot answer exactly), reading only those messages.
        let indexed = try await store.storage.searchIndexed(account: account, mailboxID: mailbox, uids: uids, query: query)
        var found = indexed.matched
        if !indexed.scan.isEmpty {
            for start in stride(from: 0, to: indexed.scan.count, by: Self.page) {
                let page = Array(indexed.scan[start..<min(start + Self.page, indexed.scan.count)])
                let rows = try await store.storage.searchRows(account: account, mailboxID: mailbox, exactly: page, content: read)
                found += await Self.evaluate(rows, prepared).map { (uid: $0.0, modSeq: $0.1) }
            }
            found.sort { $0.uid < $1.uid }
        }
        return found
    }

    /// The query compiled once. The gateway has resolved `*` already, so any bound is the
    /// largest UID; a day or UID set it cannot read is the client's error.
    static func prepare(_ query: MessageQuery) throws -> PreparedSearch {
        do {
            return try SearchEvaluator(largestUID: UInt32.max).prepare(query)
        } catch {
            throw StoreError.badRequest(APIErrorCode.badRequest, error.description)
        }
    }

    /// Matching UIDs of one page with their MODSEQ, evaluated in parallel halves.
    static func evaluate(_ rows: [SearchRow], _ prepared: PreparedSearch) async -> [(UInt32, UInt64)] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(16, (rows.count + cores - 1) / cores)
        return await withTaskGroup(of: (Int, [(UInt32, UInt64)]).self) { group in
            for start in stride(from: 0, to: rows.count, by: chunk) {
                let slice = rows[start..<min(start + chunk, rows.count)]
                // On the global executor's threads, all cores, not the request's event loop
                // (`LoopBoundHTTP1Channel`), which a child task would otherwise inherit.
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    var out: [(UInt32, UInt64)] = []
                    for row in slice {
                        let content = row.raw.map { SearchContent(raw: $0) }
                        let candidate = SearchCandidate(
                            uid: row.uid, flags: row.flags, internalDate: row.internalDate, size: row.size,
                            modSeq: row.modSeq)
                        if prepared.matches(candidate, content: content) { out.append((row.uid, row.modSeq)) }
                    }
                    return (start, out)
                }
            }
            var pieces: [(Int, [(UInt32, UInt64)])] = []
            for await piece in group { pieces.append(piece) }
            return pieces.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}
