import StoreAPI

extension StoreClient {
    /// A whole mailbox's UIDs, MODSEQs, flags, sizes and dates in columns, read from the text
    /// listing page by page (`GET …/messages?format=text`) without a `MessageSummary` per
    /// message. A mailbox whose UIDs run past `parts` pages (`uidNext`, from its listing) is
    /// read in that many UID ranges at once: the store reads each on a connection of its own,
    /// and the pages are decoded while others are read.
    public func messageColumns(
        _ account: String, mailbox: Int64, uidNext: UInt32 = 0, pageSize: Int = 10_000, parts: Int = 4
    ) async throws -> MessageColumns {
        let largest = uidNext > 0 ? uidNext - 1 : 0
        guard parts > 1, largest > UInt32(pageSize * parts) else { return try await messageColumns(account, mailbox, uids: nil, pageSize) }
        let step = largest / UInt32(parts) + 1
        // The last range runs to the largest UID there can be, so messages delivered after
        // `uidNext` was read are listed too (not to `*`, which is the largest UID held and,
        // below the range's start, would turn the range around: RFC 9051 §9 seq-range).
        let ranges = (0..<UInt32(parts)).map { part in
            "\(part * step + 1):\(part == UInt32(parts) - 1 ? UInt32.max : (part + 1) * step)"
        }
        let read = try await withThrowingTaskGroup(of: (Int, MessageColumns).self) { group in
            for (index, range) in ranges.enumerated() {
                group.addTask { (index, try await self.messageColumns(account, mailbox, uids: range, pageSize)) }
            }
            return try await group.reduce(into: [Int: MessageColumns]()) { $0[$1.0] = $1.1 }
        }
        var columns = MessageColumns()
        for index in ranges.indices { columns.append(contentsOf: read[index] ?? MessageColumns()) }
        return columns
    }

    /// The messages of `uids` (all when nil), page after page.
    private func messageColumns(_ account: String, _ mailbox: Int64, uids: String?, _ pageSize: Int) async throws -> MessageColumns {
        var columns = MessageColumns()
        var after: UInt32 = 0
        while true {
            let (body, next) = try await textListingPage(account, mailbox, uids: uids, after: after, limit: pageSize)
            guard MessageListText.decode(body, into: &columns) else { throw StoreClientError.invalidResponse("message list text") }
            guard let next else { return columns }
            after = next
        }
    }

    /// One page of the text listing: its bytes, and the UID to list after when more follow.
    func textListingPage(_ account: String, _ mailbox: Int64, uids: String?, after: UInt32, limit: Int) async throws
        -> (body: [UInt8], nextAfter: UInt32?)
    {
        var items = [("after", String(after)), ("limit", String(limit)), ("format", "text")]
        if let uids { items.append(("uids", uids)) }
        let (headers, body) = try await exchange(StoreOperations.listMessagesText, path: (account, mailbox), query: items)
        return (Array(body.readableBytesView), headers.first(name: MessageListText.nextAfterHeader).flatMap { UInt32($0) })
    }
}
