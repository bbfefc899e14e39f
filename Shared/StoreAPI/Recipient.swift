/// `GET /v1/recipients/{address}`: what SMTP `RCPT TO` needs to know about an address.
///
/// - `local`: its domain is one of ours.
/// - `exists`: it names an account or an alias (only meaningful when `local`).
/// - `accounts`: the local accounts that receive it after alias expansion.
/// - `remote`: addresses outside our domains that an alias forwards to.
/// - `overQuota`: true when a local account it reaches has no room for one more message
///   (RFC 9208; SMTP answers `452 4.2.2` at RCPT); absent otherwise.
public struct RecipientInfo: Codable, Sendable, Hashable {
    public var address: String
    public var local: Bool
    public var exists: Bool
    public var accounts: [String]
    public var remote: [String]
    public var overQuota: Bool?
    public init(
        address: String, local: Bool, exists: Bool, accounts: [String] = [], remote: [String] = [], overQuota: Bool? = nil
    ) {
        self.overQuota = overQuota
        self.address = address
        self.local = local
        self.exists = exists
        self.accounts = accounts
        self.remote = remote
    }
}
