import POP3Protocol
import SASL
import StoreAPI

/// AUTHORIZATION state: USER/PASS (RFC 1939 §7), AUTH PLAIN and SCRAM-SHA-256 with or without
/// an initial response (RFC 5034, RFC 4616, RFC 5802, RFC 7677), STLS (RFC 2595 §4). On success the maildrop is locked and listed,
/// and the session enters TRANSACTION.
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

    private mutating func advance(_ exchange: AuthExchange, _ step: SASLExchange.Step) -> [SessionAction] {
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

    private mutating func endExchange() {
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

    mutating func finishLogin(_ answer: StoreAnswer) -> [SessionAction] {
        switch answer {
        case .login(let result) where result.result == .ok:
            account = result.address
            pending = .maildrop
            return [.openMaildrop(account: result.address ?? "")]
        case .login(let result) where result.result == .locked:
            // RFC 2449 §8.1.1: LOGIN-DELAY says "not now", not "wrong password".
            return [.reply(.loginDelay)] + countFailure()
        case .unavailable:
            return [.reply(.tempFailure)]
        default:
            return failedLogin()
        }
    }

    private mutating func failedLogin() -> [SessionAction] {
        [.reply(.authFailed)] + countFailure()
    }

    private mutating func countFailure() -> [SessionAction] {
        authFailures += 1
        guard authFailures >= settings.maxAuthFailures else { return [] }
        phase = .closed
        return [.reply(.tooManyErrors), .close]
    }

    mutating func finishMaildrop(_ answer: StoreAnswer) -> [SessionAction] {
        switch answer {
        case .maildrop(let validity, let list):
            uidValidity = validity
            messages = list
            deleted = []
            phase = .transaction
            let octets = list.reduce(0) { $0 + $1.size }
            return [.reply(.ok("Logged in; \(list.count) messages (\(octets) octets)"))]
        case .inUse:
            // RFC 1939 §8, RFC 2449 §8.1.2: the client may try again later.
            account = nil
            return [.reply(.inUse)]
        default:
            account = nil
            return [.reply(.tempFailure)]
        }
    }

    mutating func stls() -> [SessionAction] {
        guard !isTLS else { return refuse(.tlsAlreadyActive) }
        guard settings.tlsAvailable else { return refuse(.tlsNotAvailable) }
        // RFC 2595 §4 and the command-injection class of bugs: what came in the clear after
        // STLS is discarded, and the session starts over.
        _ = reader.takeBuffered()
        phase = .authorization(user: nil)
        return [.reply(.beginTLS), .startTLS]
    }

    /// What CAPA's SASL line and a bare AUTH list. RFC 5034 §3
    static let saslMechanisms = ["PLAIN", SCRAMSHA256.mechanism]

    mutating func capa() -> [SessionAction] {
        [.raw(capabilities.encoded)]
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
