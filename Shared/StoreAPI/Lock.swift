/// A named lease on an account, held by one session across every gateway instance: the POP3
/// maildrop lock (RFC 1939 §8: "the POP3 server acquires an exclusive-access lock on the
/// maildrop"). A lease expires unless renewed, so a gateway that dies frees it by itself.
///
/// `POST /v1/accounts/{account}/locks/{name}` with `{"owner": "pop3-gw1/session-7", "ttl": 60}`
/// answers `201` with the lease, or `409` `in-use` while another holds it;
/// `PUT …/locks/{name}/{token}` renews (`404` when it was lost); `DELETE …` releases.
public struct LockRequest: Codable, Sendable {
    public var owner: String
    /// Seconds until the lease expires unless renewed.
    public var ttl: Int
    public init(owner: String, ttl: Int) {
        self.owner = owner
        self.ttl = ttl
    }
}

public struct LockLease: Codable, Sendable, Hashable {
    public var name: String
    public var token: String
    public var owner: String
    public var expiresAt: Double
    public init(name: String, token: String, owner: String, expiresAt: Double) {
        self.name = name
        self.token = token
        self.owner = owner
        self.expiresAt = expiresAt
    }
}

public enum LockLimits {
    /// A lease lives 1 s to 1 h between renewals.
    public static let ttl = 1...3600
    /// Lock names are short identifiers (`pop3`).
    public static let maxNameLength = 32
}
