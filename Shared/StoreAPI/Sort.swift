/// `POST /v1/accounts/{account}/mailboxes/{id}/sort`: the messages matching a query, in the
/// order of RFC 5256 §3 SORT criteria (RFC 5957 DISPLAYFROM/DISPLAYTO), answered from the
/// store's indexes. Also webmail's paged listing: `offset`/`limit` select a window of the
/// sorted result, `total` says how many matched.
public struct SortRequest: Codable, Sendable {
    public var query: MessageQuery
    public var criteria: [SortKey]
    /// Candidates (the UIDs the session knows about); all when absent.
    public var uids: String?
    /// A window of the sorted result (0-based); the whole result when absent.
    public var offset: Int?
    public var limit: Int?
    public init(query: MessageQuery, criteria: [SortKey], uids: String? = nil, offset: Int? = nil, limit: Int? = nil) {
        self.query = query
        self.criteria = criteria
        self.uids = uids
        self.offset = offset
        self.limit = limit
    }
}

/// One SORT criterion. Ties in every criterion are broken by UID ascending (RFC 5256 §3:
/// "sequence number").
public struct SortKey: Codable, Sendable, Hashable {
    public enum Criterion: String, Codable, Sendable, Hashable {
        case arrival, cc, date, from, size, subject, to
        case displayFrom = "display-from", displayTo = "display-to"
    }
    public var criterion: Criterion
    public var reverse: Bool
    public init(_ criterion: Criterion, reverse: Bool = false) {
        self.criterion = criterion
        self.reverse = reverse
    }
}

public struct SortResult: Codable, Sendable {
    /// The matching UIDs in sorted order (the window when `offset`/`limit` were given).
    public var uids: [UInt32]
    /// How many messages matched in all.
    public var total: Int
    /// The highest MODSEQ among all that matched (RFC 7162 §3.1.5), nil when none did.
    public var highestModSeq: UInt64?
    public init(uids: [UInt32], total: Int, highestModSeq: UInt64?) {
        self.uids = uids
        self.total = total
        self.highestModSeq = highestModSeq
    }
}
