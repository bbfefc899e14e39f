/// An alias address that fans out to one or more addresses (local accounts, other aliases,
/// or remote addresses).
///
/// `POST /v1/aliases` takes `{"address": "team@example.test", "targets": ["a@example.test", "b@example.test"]}`;
/// posting an existing alias replaces its targets.
public struct AliasInfo: Codable, Sendable, Hashable {
    public var address: String
    public var targets: [String]
    public init(address: String, targets: [String]) {
        self.address = address
        self.targets = targets
    }
}

public struct AliasList: Codable, Sendable {
    public var aliases: [AliasInfo]
    public init(aliases: [AliasInfo]) { self.aliases = aliases }
}
