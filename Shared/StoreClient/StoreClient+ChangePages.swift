import StoreAPI

extension StoreClient {
    /// The account's newest MODSEQ: where a reader that wants only what happens next starts.
    public func feedHead(_ account: String, reader: String? = nil) async throws -> UInt64 {
        try await changes(account, since: UInt64(Int64.max), wait: 0, limit: 1, reader: reader).highestModSeq
    }

    /// The account's change feed from `since` to now, page by page, without waiting: each page
    /// with the MODSEQ it was read from and the one it was read through (the feed's head on the
    /// last page, so a reader knows it is current even when nothing changed).
    /// `reader`: another account reading the mailboxes `account` shares with it (RFC 4314).
    public func changePages(_ account: String, since: UInt64, limit: Int = 10_000, reader: String? = nil) -> ChangePages {
        ChangePages(store: self, account: account, since: since, limit: limit, reader: reader)
    }
}

/// `StoreClient.changePages`: iterated in the caller's isolation, so an actor may apply each page
/// to its state as it comes.
public struct ChangePages: AsyncSequence, Sendable {
    public typealias Element = (changes: [Change], from: UInt64, through: UInt64)
    let store: StoreClient
    let account: String
    let since: UInt64
    let limit: Int
    let reader: String?

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, account: account, position: since, limit: limit, reader: reader)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let store: StoreClient
        let account: String
        var position: UInt64
        let limit: Int
        let reader: String?
        var finished = false

        public mutating func next() async throws -> Element? {
            guard !finished else { return nil }
            let from = position
            let feed = try await store.changes(account, since: from, wait: 0, limit: limit, reader: reader)
            if feed.more, let last = feed.changes.last {
                position = last.modSeq
                return (feed.changes, from, last.modSeq)
            }
            finished = true
            return (feed.changes, from, Swift.max(feed.highestModSeq, from))
        }
    }
}
