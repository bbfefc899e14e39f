import Foundation
import Hummingbird
import StoreAPI

/// The messages of one mailbox, under `/v1/accounts/{account}/mailboxes/{id}/`:
/// `GET messages` (list, by UID set, paged), `POST messages` (APPEND),
/// `GET messages/{uid}/raw[?offset=&length=]`, `GET messages/{uid}/header`,
/// `GET messages/{uid}/parse`, `POST messages/{uid}/replace` (ReplaceRoute.swift), `GET messages/objects` (RFC 8474 ids, RFC 8514 save dates), `POST flags`, `POST expunge`, `POST copy`, `POST recent`.
struct MessageRoutes {
    let store: StoreContext

    /// Page size when the client names none, and the largest it may ask for.
    static let defaultPage = 1_000
    static let maxPage = 10_000
    /// The largest `offset` and `length` of a byte range.
    static let maxByteOffset = Int(Int32.max)

    func add(to router: Router<StoreRequestContext>) {
        router.on(
            StoreOperations.listMessages,
            raw: { request, context, _ in
                let account = try RouteSupport.account(context)
                let uids = try request.uri.queryParameters.get("uids").map(RouteSupport.uidSet) ?? .all
                let after = try RouteSupport.query(request, "after", in: 0...UInt32.max, default: 0)
                let limit = try RouteSupport.query(request, "limit", in: 1...Self.maxPage, default: Self.defaultPage)
                let mailbox = try RouteSupport.int64(context, "id")
                switch request.uri.queryParameters.get("format") ?? "json" {
                case "json":
                    return try RouteSupport.json(
                        try await store.storage.listMessages(account: account, mailboxID: mailbox, uids: uids, after: after, limit: limit))
                case "text":
                    return MessageListText.response(
                        try await store.storage.listMessagesText(
                            account: account, mailboxID: mailbox, uids: uids, after: after, limit: limit))
                default: throw StoreError.badRequest(APIErrorCode.badRequest, "format is json or text")
                }
            })
        router.on(StoreOperations.listMessageObjects) { request, context, _ in
            let uids = try request.uri.queryParameters.get("uids").map(RouteSupport.uidSet) ?? .all
            let after = try RouteSupport.query(request, "after", in: 0...UInt32.max, default: 0)
            let limit = try RouteSupport.query(request, "limit", in: 1...Self.maxPage, default: Self.defaultPage)
            return try await store.storage.listMessageObjects(
                account: try RouteSupport.account(context), mailboxID: try RouteSupport.int64(context, "id"),
                uids: uids, after: after, limit: limit)
        }
        router.on(StoreOperations.appendMessage) { request, context, _ in
            let account = try RouteSupport.account(context)
            let flags = Self.appendFlags(request)
            let date = try Self.internalDate(request)
            let message = try await store.incomingMessage(request, context: context)
            let result = try await store.storage.append(
                message, account: account, mailboxID: try RouteSupport.int64(context, "id"),
                flags: flags, internalDate: date)
            await store.changed(account, mailboxes: [try RouteSupport.int64(context, "id")])
            return result
        }
        router.on(StoreOperations.appendMessages) { request, context, _ in
            let account = try RouteSupport.account(context)
            let mailboxID = try RouteSupport.int64(context, "id")
            let messages = try await store.appendBatch(request, context: context)
            let result = try await store.storage.append(messages, account: account, mailboxID: mailboxID)
            await store.changed(account, mailboxes: [mailboxID])
            return result
        }
        addReplace(to: router)
        router.on(
            StoreOperations.getMessageRaw,
            raw: { request, context, _ in
                var range: ByteRangeRequest?
                if request.uri.queryParameters.get("offset") != nil || request.uri.queryParameters.get("length") != nil {
                    // No message is near 2 GiB (BUZON_MAX_MESSAGE_SIZE); SQLite's substr() reads
                    // its arguments as 32-bit, so anything past that would wrap around.
                    let offset = try RouteSupport.query(request, "offset", in: 0...Self.maxByteOffset, default: 0)
                    let length = try RouteSupport.query(request, "length", in: 0...Self.maxByteOffset, default: Self.maxByteOffset)
                    range = ByteRangeRequest(offset: offset, length: length)
                }
                let bytes = try await store.storage.messageBytes(
                    account: try RouteSupport.account(context),
                    mailboxID: try RouteSupport.int64(context, "id"), uid: try Self.uid(context),
                    range: range)
                return rfc822(bytes)
            })
        router.on(
            StoreOperations.getMessageHeader,
            raw: { _, context, _ in
                let content = try await content(context)
                return rfc822(
                    try await store.storage.rawBytes(
                        contentID: content.contentID,
                        range: ByteRangeRequest(offset: 0, length: content.headerSize)))
            })
        router.on(
            StoreOperations.getMessageParse,
            raw: { _, context, _ in
                let content = try await content(context)
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: content.parseJSON)))
            })
        router.on(StoreOperations.updateFlags) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            let result = try await store.storage.updateFlags(
                account: account, mailboxID: try RouteSupport.int64(context, "id"),
                body, uids: try RouteSupport.uidSet(body.uids))
            await store.changed(account, mailboxes: [try RouteSupport.int64(context, "id")])
            return result
        }
        router.on(StoreOperations.expungeMessages) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            let result = try await store.storage.expunge(
                account: account, mailboxID: try RouteSupport.int64(context, "id"),
                uids: try body.uids.map(RouteSupport.uidSet), onlyDeleted: body.onlyDeleted)
            await store.changed(account, mailboxes: [try RouteSupport.int64(context, "id")])
            return result
        }
        router.on(StoreOperations.claimRecent) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            // No change is logged: \Recent is session state, not a flag (RFC 3501 §2.3.2).
            return try await store.storage.claimRecent(
                account: account, mailboxID: try RouteSupport.int64(context, "id"), upTo: body.upTo, claim: body.claim)
        }
        router.on(StoreOperations.copyMessages) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            let result = try await store.storage.copy(
                account: account, mailboxID: try RouteSupport.int64(context, "id"),
                uids: try RouteSupport.uidSet(body.uids), target: body.targetMailboxID, move: body.move)
            await store.changed(account, mailboxes: [try RouteSupport.int64(context, "id"), body.targetMailboxID])
            return result
        }
    }

    private func content(_ context: StoreRequestContext) async throws -> StoredContent {
        let account = try RouteSupport.account(context)
        return try await store.storage.content(
            account: account, mailboxID: try RouteSupport.int64(context, "id"), uid: try Self.uid(context))
    }

    static func uid(_ context: StoreRequestContext) throws -> UInt32 {
        try RouteSupport.pathInteger(context, "uid", in: 1...UInt32.max)
    }

    private func rfc822(_ bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "message/rfc822"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension MessageListText {
    /// The listing as a `text/plain` answer.
    static func response(_ page: MessageListTextPage) -> Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        if let next = page.nextAfter, let name = HTTPFields.Element.Name(nextAfterHeader) { headers[name] = String(next) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: page.bytes)))
    }
}
