/// The PLAIN mechanism, RFC 4616: one message `[authzid] NUL authcid NUL passwd`.
///
/// ```
/// C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
/// S: 235 2.7.0 Authentication successful
/// ```
/// ```
/// message   = [authzid] UTF8NUL authcid UTF8NUL passwd
/// authcid   = 1*SAFE ; MUST accept up to 255 octets
/// authzid   = 1*SAFE ; MUST accept up to 255 octets
/// passwd    = 1*SAFE ; MUST accept up to 255 octets
/// SAFE      = UTF1 / UTF2 / UTF3 / UTF4 ; any UTF-8 except NUL
/// ```
public enum SASLPlain {
    /// The decoded credentials.
    public struct Credentials: Sendable, Hashable {
        /// Who to act as; nil when empty (then: as `authenticationIdentity`).
        public var authorizationIdentity: String?
        /// Who is logging in.
        public var authenticationIdentity: String
        public var password: String

        public init(authorizationIdentity: String? = nil, authenticationIdentity: String, password: String) {
            self.authorizationIdentity = authorizationIdentity
            self.authenticationIdentity = authenticationIdentity
            self.password = password
        }
    }

    /// The longest identity or password accepted. RFC 4616 §2 requires 255; a
    /// little more costs nothing, and unbounded fields would be a memory lever.
    public static let maxFieldLength = 1_024

    /// Decodes a base64 response (or "*" to cancel).
    public static func decode(response: String) -> Result<Credentials, SASLError> {
        SASLBase64.decodeResponse(response).flatMap(decode(message:))
    }

    /// Validates a decoded PLAIN message.
    public static func decode(message: [UInt8]) -> Result<Credentials, SASLError> {
        let fields = message.split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return .failure(.malformed("PLAIN needs exactly two NULs")) }  // RFC 4616 §2
        guard !fields[1].isEmpty, !fields[2].isEmpty else { return .failure(.malformed("empty authcid or passwd")) }
        guard fields.allSatisfy({ $0.count <= maxFieldLength }) else { return .failure(.malformed("field too long")) }
        guard let authzid = String(validating: fields[0], as: UTF8.self),
            let authcid = String(validating: fields[1], as: UTF8.self),
            let password = String(validating: fields[2], as: UTF8.self)
        else { return .failure(.malformed("not UTF-8")) }  // RFC 4616 §2 SAFE
        return .success(
            Credentials(
                authorizationIdentity: authzid.isEmpty ? nil : authzid, authenticationIdentity: authcid, password: password))
    }

    /// The base64 response a client sends. RFC 4616 §2.
    public static func encode(_ credentials: Credentials) -> String {
        let message =
            Array((credentials.authorizationIdentity ?? "").utf8) + [0]
            + Array(credentials.authenticationIdentity.utf8) + [0] + Array(credentials.password.utf8)
        return SASLBase64.encode(message)
    }
}
