import Foundation
import InternetMessage
import StoreAPI
import StoreClient

/// The stored parse and bytes of one message, read from the store as a FETCH or SEARCH needs
/// them: the header alone when that is all it asks for, otherwise the whole message.
struct MessageContent: Sendable {
    var parse: ParsedMessage?
    /// The whole message, or only its header section when `headerOnly`.
    var bytes: [UInt8]
    var headerOnly: Bool
}

/// How much of a message a command needs.
struct ReadNeed: Sendable, Equatable {
    var parse = false
    var header = false
    var body = false

    var isNone: Bool { !parse && !header && !body }
}

extension ReadNeed {
    /// The batch read that answers this need.
    func batchRequest(uids: String) -> MessageBatchRequest {
        MessageBatchRequest(
            uids: uids, content: body ? .whole : header ? .header : MessageBatchContent.none, parse: parse,
            maxBytes: ReadNeed.pageBytes)
    }

    /// Content of one batch answer: FETCH sends a page out while the next is read, so two
    /// pages at most are in memory.
    static let pageBytes = 2 * 1024 * 1024
}

/// One page of a batch read, as FETCH uses it.
struct ContentPage: Sendable {
    var messages: [(summary: MessageSummary, content: MessageContent)]
    var nextAfter: UInt32?
}

extension StoreClient {
    /// A page of summaries and content (as `need` asks) of the batch `request`, in UID
    /// order; a message expunged meanwhile is left out.
    func contentPage(_ account: String, mailbox: Int64, _ request: MessageBatchRequest, need: ReadNeed) async throws -> ContentPage {
        let page = try await messageBatch(account, mailbox: mailbox, request)
        var messages: [(summary: MessageSummary, content: MessageContent)] = []
        messages.reserveCapacity(page.items.count)
        for item in page.items {
            var parse: ParsedMessage?
            if need.parse {
                do {
                    parse = try JSONDecoder().decode(ParsedMessage.self, from: Data(item.parse))
                } catch {
                    throw StoreClientError.invalidResponse("parse: \(error)")
                }
            }
            messages.append((item.summary, MessageContent(parse: parse, bytes: item.bytes, headerOnly: !need.body)))
        }
        return ContentPage(messages: messages, nextAfter: page.nextAfter)
    }
}

extension IMAPSession {
    /// The summaries and content of `uids` a page at a time: one store call per page, not one
    /// or two per message, the next page read while `each` sends this one to the client.
    func eachContentPage(
        _ account: String, _ mailbox: Int64, uids: String, need: ReadNeed,
        _ each: ([(summary: MessageSummary, content: MessageContent)]) async throws -> Void
    ) async throws {
        let store = self.store
        var request = need.batchRequest(uids: uids)
        var page = try await store.contentPage(account, mailbox: mailbox, request, need: need)
        while true {
            var next: Task<ContentPage, any Error>?
            if let after = page.nextAfter {
                request.after = after
                let ask = request
                next = Task { try await store.contentPage(account, mailbox: mailbox, ask, need: need) }
            }
            do {
                try await each(page.messages)
            } catch {
                next?.cancel()
                throw error
            }
            guard let next else { return }
            page = try await next.value
        }
    }
}
