/// A mail domain this installation receives mail for (`example.test`).
///
/// `POST /v1/domains` takes `{"name": "example.test"}`; `GET /v1/domains` answers `{"domains": [...]}`.
public struct DomainInfo: Codable, Sendable, Hashable {
    public var name: String
    public var users: Int
    public var aliases: Int
    public init(name: String, users: Int = 0, aliases: Int = 0) {
        self.name = name
        self.users = users
        self.aliases = aliases
    }
}

/// `postmaster`: where the domain's `postmaster@` alias points (RFC 5321 §4.5.1); the store's
/// administrator (`BUZON_POSTMASTER`) when absent.
public struct CreateDomainRequest: Codable, Sendable {
    public var name: String
    public var postmaster: String?
    public init(name: String, postmaster: String? = nil) {
        self.name = name
        self.postmaster = postmaster
    }
}

public struct DomainList: Codable, Sendable {
    public var domains: [DomainInfo]
    public init(domains: [DomainInfo]) { self.domains = domains }
}
