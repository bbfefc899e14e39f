/// `POST /v1/accounts/{account}/mailboxes/{id}/thread`: the messages matching a query grouped
/// into threads by an RFC 5256 §2 algorithm, answered from the store's indexes.
public struct ThreadRequest: Codable, Sendable {
    public enum Algorithm: String, Codable, Sendable, Hashable {
        case orderedSubject = "orderedsubject", references
    }
    public var algorithm: Algorithm
    public var query: MessageQuery
    /// Candidates (the UIDs the session knows about); all when absent.
    public var uids: String?
    public init(algorithm: Algorithm, query: MessageQuery, uids: String? = nil) {
        self.algorithm = algorithm
        self.query = query
        self.uids = uids
    }
}

public struct ThreadResult: Codable, Sendable {
    /// The threads in the algorithm's order (RFC 5256 §2.1, §2.2 step 6).
    public var threads: [ThreadNode]
    public init(threads: [ThreadNode]) { self.threads = threads }
}

/// A message in a thread and its replies. `uid` is nil for a message that is missing but whose
/// place holds several replies together (RFC 5256 §2.2 step 4: a dummy kept at the root).
public struct ThreadNode: Codable, Sendable, Hashable {
    public var uid: UInt32?
    public var children: [ThreadNode]
    public init(uid: UInt32?, children: [ThreadNode] = []) {
        self.uid = uid
        self.children = children
    }
}
