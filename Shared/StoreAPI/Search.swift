/// `POST /v1/accounts/{account}/mailboxes/{id}/search`: IMAP SEARCH run where the messages
/// are, so a search over a large mailbox reads no message over HTTP.
///
/// `query` is typed (`MessageQuery`), using UIDs only: the gateway has already turned sequence
/// numbers, `*`, `$` and `\Recent` into UID sets, since only it knows its session's view.
/// `uids` limits the candidates (the UIDs the session knows about; all when absent).
public struct SearchRequest: Codable, Sendable {
    public var query: MessageQuery
    public var uids: String?
    public init(query: MessageQuery, uids: String? = nil) {
        self.query = query
        self.uids = uids
    }
}

public struct SearchResult: Codable, Sendable {
    /// Matching UIDs, ascending.
    public var uids: [UInt32]
    /// The highest MODSEQ among them (RFC 7162 §3.1.5), nil when none matched.
    public var highestModSeq: UInt64?
    public init(uids: [UInt32], highestModSeq: UInt64?) {
        self.uids = uids
        self.highestModSeq = highestModSeq
    }
}
