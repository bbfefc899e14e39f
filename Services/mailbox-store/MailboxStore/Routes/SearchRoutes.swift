import Foundation
import Hummingbird
import IMAPProtocol
import InternetMessage
import StoreAPI

/// `POST /v1/accounts/{account}/mailboxes/{id}/search`: IMAP SEARCH evaluated beside the
/// messages (`SearchRequest`), with `SearchEvaluator` from the IMAP grammar. Messages are read
/// a page at a time, with only the content the keys need, and evaluated on every core.
struct SearchRoutes {
    let store: StoreContext

    /// Messages read from SQLite at once: bounded memory when bodies are read.
    static let page = 512
    /// The longest query accepted: a search program, not a message.
    static let maxQuery = 256 * 1024

    func add(to router: Router<StoreRequestContext>) {
        router.post("v1/accounts/:account/mailboxes/:id/search") { request, context -> Response in
            let account = try RouteSupport.account(context)
            let mailbox = try RouteSupport.int64(context, "id")
            let body = try await RouteSupport.decode(SearchRequest.self, from: request, context: context)
            let key = try Self.parse(body.query)
            let uids = try body.uids.map(RouteSupport.uidSet) ?? UIDSet("1:*")!
            let prepared = SearchEvaluator(largestSequence: 0, largestUID: UInt32.max).prepare(key)
            // The header section is parsed here rather than the stored parse decoded: reading
            // fields from bytes is several times cheaper than decoding the JSON of a MIME tree.
            let read: SearchContentRead =
                switch prepared.contentNeed {
                case .none: .none
                case .header: .header
                case .full: .whole
                }
            var matched: [UInt32] = []
            var highest: UInt64?
            var after: UInt32 = 0
            while true {
                let rows = try await store.storage.searchRows(
                    account: account, mailboxID: mailbox, uids: uids, after: after,
                    limit: Self.page, content: read)
                guard let last = rows.last else { break }
                after = last.uid
                for (uid, modSeq) in await Self.evaluate(rows.filter(\.inSet), prepared) {
                    matched.append(uid)
                    highest = max(highest ?? 0, modSeq)
                }
                if rows.count < Self.page { break }
            }
            return try RouteSupport.json(SearchResult(uids: matched, highestModSeq: highest))
        }
    }

    /// The query as a search key: framed and parsed as the command `UID SEARCH CHARSET UTF-8 …`.
    static func parse(_ query: String) throws -> SearchKey {
        guard query.utf8.count <= maxQuery else { throw StoreError.badRequest(APIErrorCode.badRequest, "query too long") }
        var reader = IMAPCommandReader(maxLineLength: maxQuery + 64, maxLiteralSize: maxQuery, maxCommandSize: maxQuery + 1024)
        reader.append(Array("s UID SEARCH CHARSET UTF-8 \(query)\r\n".utf8))
        var framed: IMAPFramedCommand?
        while let event = reader.next() {
            if case .command(let command) = event { framed = command }
        }
        guard let framed, case .success(let command) = IMAPCommandParser().parse(framed), case .search(let program, _) = command.kind else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "not a search program")
        }
        return program.key
    }

    /// Matching UIDs of one page with their MODSEQ, evaluated in parallel halves.
    static func evaluate(_ rows: [SearchRow], _ prepared: PreparedSearch) async -> [(UInt32, UInt64)] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(16, (rows.count + cores - 1) / cores)
        return await withTaskGroup(of: (Int, [(UInt32, UInt64)]).self) { group in
            for start in stride(from: 0, to: rows.count, by: chunk) {
                let slice = rows[start..<min(start + chunk, rows.count)]
                group.addTask {
                    var out: [(UInt32, UInt64)] = []
                    for row in slice {
                        let content = row.raw.map { SearchContent(raw: $0) }
                        let candidate = SearchCandidate(
                            sequenceNumber: row.uid, uid: row.uid, flags: row.flags, internalDate: row.internalDate,
                            size: row.size, modSeq: row.modSeq, recent: false)
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
