import struct Foundation.Data

/// A webmail login kept by the store, so that any webmail instance serves any user and a
/// password change ends it at once (issue 14). The store keeps only a hash of the id: a copy
/// of the database opens no session.
///
/// `POST /v1/accounts/{account}/web-sessions` with `{"ttl": 86400}` (after the webmail checked
/// the password with `POST /v1/auth/login`) answers `201` with a new session;
/// `GET /v1/web-sessions/{id}` answers it while it lives (and keeps it alive), `404`
/// `session-not-found` once it expired, was ended, or the account's password changed since;
/// `DELETE /v1/web-sessions/{id}` ends it (logout).
public struct WebSessionRequest: Codable, Sendable {
    /// Seconds the session lives unused; each use moves its end this far ahead.
    public var ttl: Int
    public init(ttl: Int) { self.ttl = ttl }
}

public struct WebSession: Codable, Sendable, Hashable {
    /// The secret the browser holds (its cookie): 32 random bytes, base64url without padding.
    public var id: String
    /// The canonical account address.
    public var account: String
    /// The token every state-changing request of this session must carry (CSRF).
    public var csrf: String
    /// Seconds since 1970 after which the session is gone unless used before.
    public var expiresAt: Double
    public init(id: String, account: String, csrf: String, expiresAt: Double) {
        self.id = id
        self.account = account
        self.csrf = csrf
        self.expiresAt = expiresAt
    }
}

public enum WebSessionLimits {
    /// A session lives 1 minute to 30 days between uses.
    public static let ttl = 60...(30 * 86_400)
    /// A session id or CSRF token: 32 random bytes in base64url, 43 characters.
    public static let idLength = 43

    /// A new random token of that form: 32 bytes from the system's CSPRNG (getrandom on
    /// Linux), base64url without padding. Session ids, CSRF tokens, the login form's token.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Whether `id` has the form of a session id (the store answers others `400`).
    public static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == idLength
            && id.utf8.allSatisfy { c in
                (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
            }
    }
}
