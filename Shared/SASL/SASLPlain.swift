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

    /// Validates a decoded PLAIN message. An authorization identity is accepted only when it
    /// names the user logging in (case-insensitively): nobody may act as someone else here.
    public static func decode(message: [UInt8], maxFieldLength: Int = SASLDefaults.maxFieldLength) -> Result<Credentials, SASLError> {
        let fields = message.split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return .failure(.malformedMessage) }  // RFC 4616 §2: exactly two NULs
        guard fields.allSatisfy({ $0.count <= maxFieldLength }) else { return .failure(.fieldTooLong) }
        guard let authzid = String(validating: fields[0], as: UTF8.self),
            let authcid = String(validating: fields[1], as: UTF8.self),
            let password = String(validating: fields[2], as: UTF8.self)
        else { return .failure(.notUTF8) }  // RFC 4616 §2 SAFE
        guard !authcid.isEmpty, !password.isEmpty else { return .failure(.malformedMessage) }  // 1*SAFE
        guard SASLIdentity.mayAct(as: authzid, user: authcid) else { return .failure(.authorizationMismatch) }
        return .success(
            Credentials(authorizationIdentity: authzid.isEmpty ? nil : authzid, authenticationIdentity: authcid, password: password))
    }

    /// The base64 response a client sends. RFC 4616 §2.
    public static func encode(_ credentials: Credentials) -> String {
        let message =
            Array((credentials.authorizationIdentity ?? "").utf8) + [0]
            + Array(credentials.authenticationIdentity.utf8) + [0] + Array(credentials.password.utf8)
        return SASLBase64.encode(message)
    }
}

/// The one authorization rule of every mechanism here.
enum SASLIdentity {
    /// An empty authorization identity, or the user's own (case-insensitively: addresses).
    static func mayAct(as authzid: String, user: String) -> Bool {
        authzid.isEmpty || authzid.lowercased() == user.lowercased()
    }
}
