import Foundation
import Hummingbird
import StoreAPI

/// `POST /v1/accounts/{account}/mailboxes/{id}/messages/batch`: summaries, parses and bytes of
/// many messages in one answer (`MessageBatchRequest`), framed binary
/// (`application/x-buzon-messages`) and streamed a group at a time, so that neither side holds
/// more than a page (`maxBytes`) however large the set.
struct MessageBatchRoutes {
    let store: StoreContext

    /// Content read from SQLite per write to the connection: the store holds about this
    /// much of an answer at once.
    static let groupBytes = 256 * 1024

    func add(to router: Router<StoreRequestContext>) {
        router.on(
            StoreOperations.readMessageBatch,
            raw: { _, context, body in
                let account = try RouteSupport.account(context)
                let mailboxID = try RouteSupport.int64(context, "id")
                let body = try await body()
                let uids = try RouteSupport.uidSet(body.uids)
                let maxBytes = body.maxBytes ?? MessageBatchRequest.defaultMaxBytes
                guard (1...MessageBatchRequest.maxMaxBytes).contains(maxBytes) else {
                    throw StoreError.badRequest(APIErrorCode.badRequest, "maxBytes must be from 1 to \(MessageBatchRequest.maxMaxBytes)")
                }
                let content = body.content ?? .none
                let parse = body.parse ?? false
                let entries = try await store.storage.batchEntries(
                    account: account, mailboxID: mailboxID, uids: uids, after: body.after ?? 0,
                    limit: MessageBatchRequest.maxMessages + 1, parse: parse)
                let page = Self.page(entries, content: content, parse: parse, maxBytes: maxBytes)

                var headers: HTTPFields = [.contentType: MessageBatchFrames.contentType]
                if page.count < entries.count, let last = page.last, let name = HTTPFields.Element.Name(MessageBatchFrames.nextAfterHeader)
                {
                    headers[name] = String(last.summary.uid)
                }
                let groups = Self.groups(page, content: content, parse: parse)
                // The first group is read before answering, so that a failure is still an
                // error status rather than a cut answer.
                let storage = store.storage
                let first = try await storage.batchFrames(groups.first ?? [], content: content, parse: parse)
                let rest = groups.dropFirst()
                return Response(
                    status: .ok, headers: headers,
                    body: ResponseBody { writer in
                        try await writer.write(first)
                        for group in rest {
                            try await writer.write(try await storage.batchFrames(group, content: content, parse: parse))
                        }
                        try await writer.finish(nil)
                    })
            })
    }

    /// The entries that fit in `maxBytes`, at least one.
    static func page(_ entries: [BatchEntry], content: MessageBatchContent, parse: Bool, maxBytes: Int) -> ArraySlice<BatchEntry> {
        var total = 0
        var count = 0
        for entry in entries.prefix(MessageBatchRequest.maxMessages) {
            let cost = entry.cost(content, parse: parse)
            if count > 0 && total + cost > maxBytes { break }
            total += cost
            count += 1
        }
        return entries.prefix(count)
    }

    /// The page cut into groups of about `groupBytes` of content.
    static func groups(_ page: ArraySlice<BatchEntry>, content: MessageBatchContent, parse: Bool) -> [[BatchEntry]] {
        var groups: [[BatchEntry]] = []
        var current: [BatchEntry] = []
        var bytes = 0
        for entry in page {
            let cost = entry.cost(content, parse: parse)
            if !current.isEmpty && bytes + cost > groupBytes {
                groups.append(current)
                current = []
                bytes = 0
            }
            current.append(entry)
            bytes += cost
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}
