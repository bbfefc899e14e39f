/// The LOGIN mechanism (draft-murchison-sasl-login): the server asks for the user
/// name, then the password, each a base64 line.
///
/// ```
/// C: AUTH LOGIN
/// S: 334 VXNlcm5hbWU6          ("Username:")
/// C: YWxpY2U=
/// S: 334 UGFzc3dvcmQ6          ("Password:")
/// C: c2VjcmV0
/// ```
/// `AUTH LOGIN <base64 user>` (an initial response) skips the first challenge.
public struct SASLLogin: Sendable {
    /// What the server does next.
    public enum Step: Sendable, Hashable {
        /// Send `334 <challenge>` and pass the client's next line to `receive`.
        case challenge(String)
        /// Both fields are in: check them.
        case credentials(username: String, password: String)
    }

    /// base64("Username:").
    public static let usernameChallenge = "VXNlcm5hbWU6"
    /// base64("Password:").
    public static let passwordChallenge = "UGFzc3dvcmQ6"

    private var username: String?

    public init() {}

    /// Starts the exchange, with the AUTH command's initial response if it had one.
    public mutating func start(initialResponse: String?) -> Result<Step, SASLError> {
        guard let initialResponse else { return .success(.challenge(Self.usernameChallenge)) }
        return receive(initialResponse)
    }

    /// Takes the client's response line.
    public mutating func receive(_ line: String) -> Result<Step, SASLError> {
        SASLBase64.decodeResponse(line).flatMap { bytes in
            guard bytes.count <= SASLPlain.maxFieldLength, !bytes.contains(0),
                let text = String(validating: bytes, as: UTF8.self)
            else { return .failure(.malformed("bad LOGIN field")) }
            if let username {
                return .success(.credentials(username: username, password: text))
            }
            guard !text.isEmpty else { return .failure(.malformed("empty user name")) }
            username = text
            return .success(.challenge(Self.passwordChallenge))
        }
    }

    /// The client side: the base64 line to send for a server challenge, nil for an unknown challenge.
    public static func respond(to challenge: String, username: String, password: String) -> String? {
        switch SASLBase64.decodeResponse(challenge).map({ String(decoding: $0, as: UTF8.self).lowercased() }) {
        case .success(let text) where text.hasPrefix("username"): SASLBase64.encode(Array(username.utf8))
        case .success(let text) where text.hasPrefix("password"): SASLBase64.encode(Array(password.utf8))
        default: nil
        }
    }
}
