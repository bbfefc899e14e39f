/// One SASL exchange on the server side (RFC 4422 §3–§5), the same for SMTP AUTH (RFC 4954),
/// POP3 AUTH (RFC 5034) and IMAP AUTHENTICATE (RFC 9051 §6.2.2, RFC 4959): client lines in,
/// the next step out. The protocols differ only in how they frame a challenge (`334`, `+`)
/// and word the outcome; the rules — strict base64, `=` as an empty initial response, `*`
/// cancelling, the field limits, who may act as whom — are here, once.
///
/// ```
/// var exchange = SASLExchange(mechanism: "SCRAM-SHA-256")!
/// exchange.start(initialResponse: "biwsbj11c2VyLHI9…")  // .scramStart(username: "user")
/// exchange.scramSalt(salt, iterations: 4096)              // .challenge(server-first)
/// exchange.receive("Yz1iaXdzLHI9…")                       // .scramFinish(…)
/// exchange.scramVerified(serverSignature: signature)      // .challenge(server-final)
/// exchange.receive("")                                    // .success
/// ```
/// SMTP and IMAP have no "additional data with success" (RFC 4954 §4; RFC 9051 §6.2.2 has
/// none either), so the server-final `v=` goes out as a last challenge that the client
/// answers with an empty line (RFC 4422 §5 item 7); POP3 does the same, to keep one path.
public struct SASLExchange: Sendable, Equatable {
    public enum Mechanism: String, Sendable, CaseIterable {
        case plain = "PLAIN"
        case login = "LOGIN"
        case scramSHA256 = "SCRAM-SHA-256"
    }

    /// What the protocol does next.
    public enum Step: Sendable, Hashable {
        /// Send this base64 challenge (maybe empty) and pass the client's next line to `receive`.
        case challenge(String)
        /// PLAIN or LOGIN is complete: ask the store whether the password is right. The
        /// exchange is over; the store's answer is the outcome.
        case verifyPassword(username: String, password: String)
        /// SCRAM: ask the store for the user's salt and iteration count, then call `scramSalt`.
        case scramStart(username: String)
        /// SCRAM: ask the store to check the proof, then call `scramVerified` on success.
        case scramFinish(SCRAMFinish)
        /// Authenticated (the SCRAM server-final was sent and acknowledged).
        case success
        /// The exchange is over without a credential check.
        case failure(SASLError)
    }

    /// What the store needs to check a SCRAM client proof. RFC 5802 §3
    public struct SCRAMFinish: Sendable, Hashable {
        public var username: String
        public var authMessage: String
        public var clientProof: [UInt8]
    }

    private enum State: Sendable, Equatable {
        case start
        case plain
        case loginUsername
        case loginPassword(username: String)
        case scramClientFirst
        case scramAwaitingSalt(SCRAMMessages.ClientFirst)
        case scramClientFinal(SCRAMMessages.ClientFirst, serverFirst: String, nonce: String)
        case scramAwaitingVerification
        case scramAcknowledge
        case done
    }

    public let mechanism: Mechanism
    private var state = State.start
    private let serverNonce: String

    /// Nil for a mechanism we do not offer. `serverNonce` is for tests (RFC 7677 §3's
    /// example); otherwise a random one (RFC 5802 §5.1).
    public init?(mechanism name: String, serverNonce: String? = nil) {
        guard let mechanism = Mechanism(rawValue: name.uppercased()) else { return nil }
        self.mechanism = mechanism
        self.serverNonce = serverNonce ?? Self.randomNonce()
    }

    /// The exchange ended (success, failure, or handed to the store for a password check).
    public var isFinished: Bool {
        if case .done = state { return true }
        return false
    }

    /// The client is expected to send a line now.
    public var awaitsClient: Bool {
        switch state {
        case .plain, .loginUsername, .loginPassword, .scramClientFirst, .scramClientFinal, .scramAcknowledge: true
        default: false
        }
    }

    /// Starts the exchange with the command's initial response, if it had one: `=` is an
    /// empty one (RFC 4954 §4, RFC 5034 §4, RFC 4959 §3), nil none (the server challenges first).
    public mutating func start(initialResponse: String?) -> Step {
        guard case .start = state else { return fail(.malformedMessage) }
        guard let initialResponse else {
            switch mechanism {
            case .plain:
                state = .plain
                return .challenge("")  // RFC 4616 §2: the server's challenge is empty
            case .login:
                state = .loginUsername
                return .challenge(SASLLogin.usernameChallenge)
            case .scramSHA256:
                state = .scramClientFirst
                return .challenge("")  // RFC 5802 §5: the client speaks first
            }
        }
        switch mechanism {
        case .plain: state = .plain
        case .login: state = .loginUsername
        case .scramSHA256: state = .scramClientFirst
        }
        if initialResponse == "=" { return take([]) }
        guard let bytes = SASLBase64.decode(initialResponse), !initialResponse.isEmpty else { return fail(.malformedBase64) }
        return take(bytes)
    }

    /// The client's line after a challenge: base64 (empty for an empty response), or `*`.
    public mutating func receive(_ line: String) -> Step {
        guard awaitsClient else { return fail(.malformedMessage) }
        if line == "*" { return fail(.cancelled) }  // RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2
        guard let bytes = SASLBase64.decode(line) else { return fail(.malformedBase64) }
        return take(bytes)
    }

    /// The store's salt and iteration count for the user (a decoy one for an unknown user,
    /// so that the exchange goes on and fails only at the proof). Answers the server-first.
    public mutating func scramSalt(_ salt: [UInt8], iterations: Int) -> Step {
        guard case .scramAwaitingSalt(let first) = state else { return fail(.malformedMessage) }
        let nonce = first.clientNonce + serverNonce
        let serverFirst = SCRAMMessages.serverFirst(nonce: nonce, salt: salt, iterations: iterations)
        state = .scramClientFinal(first, serverFirst: serverFirst, nonce: nonce)
        return .challenge(SASLBase64.encode(serverFirst))
    }

    /// The store accepted the proof: the server-final goes out as the last challenge.
    public mutating func scramVerified(serverSignature: [UInt8]) -> Step {
        guard case .scramAwaitingVerification = state else { return fail(.malformedMessage) }
        state = .scramAcknowledge
        return .challenge(SASLBase64.encode(SCRAMMessages.serverFinal(signature: serverSignature)))
    }

    private mutating func take(_ bytes: [UInt8]) -> Step {
        switch state {
        case .plain:
            state = .done
            switch SASLPlain.decode(message: bytes) {
            case .failure(let error): return fail(error)
            case .success(let credentials):
                return .verifyPassword(username: credentials.authenticationIdentity, password: credentials.password)
            }
        case .loginUsername:
            switch SASLLogin.field(bytes) {
            case .failure(let error): return fail(error)
            case .success(let username):
                state = .loginPassword(username: username)
                return .challenge(SASLLogin.passwordChallenge)
            }
        case .loginPassword(let username):
            state = .done
            switch SASLLogin.field(bytes) {
            case .failure(let error): return fail(error)
            case .success(let password): return .verifyPassword(username: username, password: password)
            }
        case .scramClientFirst:
            switch SCRAMMessages.parseClientFirst(bytes) {
            case .failure(let error): return fail(error)
            case .success(let first):
                state = .scramAwaitingSalt(first)
                return .scramStart(username: first.username)
            }
        case .scramClientFinal(let first, let serverFirst, let nonce):
            switch SCRAMMessages.parseClientFinal(bytes) {
            case .failure(let error): return fail(error)
            case .success(let final):
                // RFC 5802 §6: c= repeats the gs2 header (no channel binding data: no -PLUS).
                guard final.channelBinding == Array(first.gs2Header.utf8) else { return fail(.channelBindingMismatch) }
                guard final.nonce == nonce else { return fail(.nonceMismatch) }
                state = .scramAwaitingVerification
                let authMessage = first.bare + "," + serverFirst + "," + final.withoutProof  // RFC 5802 §3
                return .scramFinish(SCRAMFinish(username: first.username, authMessage: authMessage, clientProof: final.proof))
            }
        case .scramAcknowledge:
            // RFC 4422 §5: the client answers the additional data with an empty response.
            guard bytes.isEmpty else { return fail(.malformedMessage) }
            state = .done
            return .success
        default:
            return fail(.malformedMessage)
        }
    }

    private mutating func fail(_ error: SASLError) -> Step {
        state = .done
        return .failure(error)
    }

    static func randomNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<SASLDefaults.serverNonceOctets).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return SASLBase64.encode(bytes)  // printable, and no "," (RFC 5802 §7 c-nonce)
    }
}
