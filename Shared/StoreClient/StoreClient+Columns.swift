import StoreAPI

extension StoreClient {
    /// A whole mailbox's UIDs, MODSEQs and flags in columns, read from the text listing page by
    /// page (`GET …/messages?format=text`) without a `MessageSummary` per message.
    public func messageColumns(_ account: String, mailbox: Int64, pageSize: Int = 10_000) async throws -> MessageColumns {
        var columns = MessageColumns()
        var after: UInt32 = 0
        while true {
            let items = [("after", String(after)), ("limit", String(pageSize)), ("format", "text")]
            let (headers, body) = try await exchange(StoreOperations.listMessagesText, path: (account, mailbox), query: items)
            guard MessageListText.decode(Array(body.readableBytesView), into: &columns) else {
                throw StoreClientError.invalidResponse("message list text")
            }
            guard let next = headers.first(name: MessageListText.nextAfterHeader).flatMap({ UInt32($0) }) else { return columns }
            after = next
        }
    }
}
