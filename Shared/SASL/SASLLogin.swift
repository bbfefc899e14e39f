/// The LOGIN mechanism (draft-murchison-sasl-login-00): the server asks for the user name,
/// then the password, each a base64 line.
///
/// ```
/// C: AUTH LOGIN
/// S: 334 VXNlcm5hbWU6          ("Username:")
/// C: YWxpY2U=
/// S: 334 UGFzc3dvcmQ6          ("Password:")
/// C: c2VjcmV0
/// ```
/// `AUTH LOGIN <base64 user>` (an initial response) skips the first challenge.
public enum SASLLogin {
    /// base64("Username:"). draft-murchison-sasl-login §2.
    public static let usernameChallenge = SASLBase64.encode("Username:")
    /// base64("Password:").
    public static let passwordChallenge = SASLBase64.encode("Password:")

    /// One decoded field: the same limits as PLAIN's, and no NUL.
    static func field(_ bytes: [UInt8], maxFieldLength: Int = SASLDefaults.maxFieldLength) -> Result<String, SASLError> {
        guard bytes.count <= maxFieldLength else { return .failure(.fieldTooLong) }
        guard !bytes.contains(0) else { return .failure(.malformedMessage) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.notUTF8) }
        guard !text.isEmpty else { return .failure(.malformedMessage) }
        return .success(text)
    }

    /// The client side: the base64 line to send for a server challenge, nil for an unknown challenge.
    public static func respond(to challenge: String, username: String, password: String) -> String? {
        guard let decoded = SASLBase64.decode(challenge) else { return nil }
        let text = String(decoding: decoded, as: UTF8.self).lowercased()
        if text.hasPrefix("username") { return SASLBase64.encode(username) }
        if text.hasPrefix("password") { return SASLBase64.encode(password) }
        return nil
    }
}
