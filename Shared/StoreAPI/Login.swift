/// `POST /v1/auth/verify`: a gateway asks whether a user may log in.
///
/// The store answers `200` with `result` `ok`, `invalid` (wrong name or password, after a delay
/// that doubles with each recent failure of the client address) or `locked` (too many failures
/// of this client address against this account or against any, or, as a last resort, of this
/// account from all addresses; try again after `retryAfter` seconds). Gateways must pass the
/// client's IP address: the delays and locks are per address, so that a guesser slows and
/// locks himself, not the account's owner (`LoginPolicy` in the store).
public struct LoginRequest: Codable, Sendable {
    public var username: String
    public var password: String
    public var clientAddress: String?
    /// Which protocol asks (`smtp`, `imap`, `pop3`, `webmail`), for logs and metrics.
    public var service: String?
    public init(username: String, password: String, clientAddress: String? = nil, service: String? = nil) {
        self.username = username
        self.password = password
        self.clientAddress = clientAddress
        self.service = service
    }
}

public struct LoginResult: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable {
        case ok, invalid, locked
    }
    public var result: Outcome
    /// The canonical account address on success (lower-cased domain).
    public var address: String?
    /// Seconds until a locked account or address may try again.
    public var retryAfter: Int?
    /// SCRAM only (`POST /v1/auth/scram/finish`): the base64 ServerSignature for the
    /// server-final message, on success. RFC 5802 §3
    public var serverSignature: String?
    public init(result: Outcome, address: String? = nil, retryAfter: Int? = nil, serverSignature: String? = nil) {
        self.result = result
        self.address = address
        self.retryAfter = retryAfter
        self.serverSignature = serverSignature
    }
}
