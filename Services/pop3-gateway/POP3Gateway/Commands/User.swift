import POP3Protocol
import StoreAPI

/// USER and PASS (RFC 1939 §7), legal in AUTHORIZATION; passwords only over TLS or where
/// plaintext is allowed (RFC 2595 §2.3).
///
///     C: USER alice@example.test
///     S: +OK
///     C: PASS secret
///     S: +OK Logged in; 2 messages (320 octets)
extension POP3Session {
    mutating func user(_ name: String) -> [SessionAction] {
        guard passwordsAllowed else { return refuse(.tlsRequired) }
        phase = .authorization(user: name)
        return [.reply(.ok())]
    }

    mutating func pass(_ password: String, user: String?) -> [SessionAction] {
        guard let user else { return refuse(POP3Response(.err, nil, "USER first")) }
        guard passwordsAllowed else { return refuse(.tlsRequired) }
        phase = .authorization(user: nil)
        pending = .login
        return [.verifyLogin(username: user, password: password)]
    }
}
