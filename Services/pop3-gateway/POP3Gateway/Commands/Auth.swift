import POP3Protocol
import SASL
import StoreAPI

/// AUTH (RFC 5034) in AUTHORIZATION: PLAIN (RFC 4616) and SCRAM-SHA-256 (RFC 5802, RFC 7677),
/// with or without an initial response, through `Shared/SASL`.
///
///     C: AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=
///     S: +OK Logged in; 2 messages (320 octets)
extension POP3Session {
    /// What CAPA's SASL line and a bare AUTH list. RFC 5034 §3
    static let saslMechanisms = ["PLAIN", SCRAMSHA256.mechanism]

    /// RFC 5034 §4. The exchange is the shared `SASLExchange`; SCRAM's server-final goes out
    /// as a last `+` challenge that the client answers with an empty line, as in SMTP and IMAP.
    /// SCRAM stays behind the same TLS rule as PLAIN (see SMTP's Auth.swift for why).
    mutating func auth(_ mechanism: String, initialResponse: String?) -> [SessionAction] {
        guard Self.saslMechanisms.contains(mechanism.uppercased()), var sasl = SASLExchange(mechanism: mechanism) else {
            return refuse(.unknownMechanism)
        }
        guard passwordsAllowed else { return refuse(.tlsRequired) }
        reader.maxLineLength = POP3Defaults.saslLineLength
        let step = sasl.start(initialResponse: initialResponse)
        return advance(AuthExchange(sasl: sasl), step)
    }

    mutating func continueAuth(_ exchange: AuthExchange, line: String) -> [SessionAction] {
        var exchange = exchange
        let step = exchange.sasl.receive(line)
        return advance(exchange, step)
    }

    mutating func advance(_ exchange: AuthExchange, _ step: SASLExchange.Step) -> [SessionAction] {
        switch step {
        case .challenge(let challenge):
            phase = .sasl(exchange)
            return [.reply(.continuation(challenge))]
        case .verifyPassword(let username, let password):
            endExchange()
            pending = .login
            return [.verifyLogin(username: username, password: password)]
        case .scramStart(let username):
            phase = .authorization(user: nil)
            pending = .scramStart(exchange)
            return [.scram(.start(username: username))]
        case .scramFinish(let finish):
            phase = .authorization(user: nil)
            pending = .scramFinish(exchange)
            return [.scram(.finish(finish))]
        case .success:
            endExchange()
            account = exchange.account
            pending = .maildrop
            return [.openMaildrop(account: exchange.account ?? "")]
        case .failure(let error):
            endExchange()
            // One fault, one class of answer, as in SMTP and IMAP (`SASLError.Kind`).
            switch error.kind {
            case .malformed: return refuse(.invalidSASLResponse)
            case .cancelled: return refuse(.authCancelled)  // RFC 5034 §4
            case .refused: return failedLogin()
            }
        }
    }

    mutating func endExchange() {
        phase = .authorization(user: nil)
        reader.maxLineLength = POP3Defaults.commandLineLength
    }

    /// The store's salt and iteration count: the server-first challenge.
    mutating func finishSCRAMStart(_ exchange: AuthExchange, _ answer: StoreAnswer) -> [SessionAction] {
        guard case .scramSalt(let start) = answer, let salt = SASLBase64.decode(start.salt) else {
            endExchange()
            return finishLogin(answer)
        }
        var exchange = exchange
        let step = exchange.sasl.scramSalt(salt, iterations: start.iterations)
        return advance(exchange, step)
    }

    /// The store's check of the proof: on success the server-final challenge.
    mutating func finishSCRAMFinish(_ exchange: AuthExchange, _ answer: StoreAnswer) -> [SessionAction] {
        guard case .login(let result) = answer, result.result == .ok,
            let signature = result.serverSignature.flatMap(SASLBase64.decode)
        else {
            endExchange()
            return finishLogin(answer.failedUnlessLocked)
        }
        var exchange = exchange
        exchange.account = result.address
        let step = exchange.sasl.scramVerified(serverSignature: signature)
        return advance(exchange, step)
    }
}

/// A SASL exchange in progress.
struct AuthExchange: Sendable, Equatable {
    var sasl: SASLExchange
    /// The account the store accepted a SCRAM proof for, until the client acknowledges the server-final.
    var account: String?
}

extension StoreAnswer {
    /// A SCRAM check that did not succeed: `locked` and store trouble keep their meaning,
    /// anything else (an `ok` without a signature included) is a failed login.
    var failedUnlessLocked: StoreAnswer {
        switch self {
        case .login(let result) where result.result == .locked: self
        case .unavailable: self
        default: .login(LoginResult(result: .invalid))
        }
    }
}
