/// The two store calls behind SCRAM-SHA-256 (RFC 5802, RFC 7677) in the gateways. The
/// gateways run the exchange; the keys never leave the store.
///
/// `POST /v1/auth/scram/start`: the salt and iteration count for `username`. For a name with
/// no keys (unknown, or an account whose keys are not computed yet) the store answers a decoy
/// salt, the same every time for that name, so the answer does not tell whether it exists.
public struct SCRAMStartRequest: Codable, Sendable {
    public var username: String
    public init(username: String) { self.username = username }
}

public struct SCRAMStartResult: Codable, Sendable, Hashable {
    /// Base64. RFC 5802 §5.1 `s=`.
    public var salt: String
    /// RFC 5802 §5.1 `i=`.
    public var iterations: Int
    public init(salt: String, iterations: Int) {
        self.salt = salt
        self.iterations = iterations
    }
}

/// `POST /v1/auth/scram/finish`: check a client proof. The answer is a `LoginResult`, as for
/// `POST /v1/auth/verify` — the same throttling and lockout count both — with the
/// `serverSignature` for the server-final message when `result` is `ok`.
public struct SCRAMFinishRequest: Codable, Sendable {
    public var username: String
    /// RFC 5802 §3: client-first-message-bare "," server-first-message "," client-final-message-without-proof.
    public var authMessage: String
    /// Base64 ClientProof, 32 octets.
    public var clientProof: String
    public var clientAddress: String?
    /// Which protocol asks (`smtp`, `imap`, `pop3`).
    public var service: String?
    public init(username: String, authMessage: String, clientProof: String, clientAddress: String? = nil, service: String? = nil) {
        self.username = username
        self.authMessage = authMessage
        self.clientProof = clientProof
        self.clientAddress = clientAddress
        self.service = service
    }
}
