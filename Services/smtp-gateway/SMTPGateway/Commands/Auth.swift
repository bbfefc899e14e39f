import SASL
import SMTPProtocol
import StoreAPI

/// AUTH — submission ports, after EHLO and TLS, before MAIL, once (RFC 4954 §4; PLAIN RFC 4616,
/// LOGIN, SCRAM-SHA-256 RFC 5802/7677). The exchange is the shared `SASLExchange`; the checks
/// are the store's, which slows and locks repeated failures; here, too many failures on one
/// connection end it.
///
///     C: AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=
///     S: 235 2.7.0 Authentication successful
///
/// SCRAM's server-final goes out as a last `334` that the client answers with an empty line:
/// SMTP has no additional data with success (RFC 4954 §4).
///
/// SCRAM never sends the password, but it stays behind the same rule as PLAIN and LOGIN (TLS
/// or `allowPlaintextAuth`): without TLS the user name and the session after it are in the
/// clear and open to tampering, and RFC 8314 §3 wants submission under TLS anyway.
struct AuthExchange: Sendable, Equatable {
    var sasl: SASLExchange
    /// The account the store accepted a SCRAM proof for, until the client acknowledges the server-final.
    var account: String?
}

extension SMTPSession {
    /// What EHLO advertises, in the order offered. RFC 4954 §3
    static let authMechanisms = ["PLAIN", "LOGIN", SCRAMSHA256.mechanism]

    mutating func auth(_ mechanism: String, initialResponse: String?) -> [SessionAction] {
        guard listener.isSubmission else { return refuse(.commandNotImplemented) }
        guard phase == .command, usedEHLO else { return refuse(.heloFirst) }
        guard authenticatedUser == nil else { return refuse(.alreadyDone) }
        guard transaction == nil else { return refuse(.badSequence) }
        guard isTLS || settings.allowPlaintextAuth else { return refuse(.encryptionRequired) }
        guard var sasl = SASLExchange(mechanism: mechanism) else { return refuse(.authMechanismUnknown) }
        reader.maxLineLength = SMTPDefaults.authCommandLineLength
        let step = sasl.start(initialResponse: initialResponse)
        return advance(AuthExchange(sasl: sasl), step)
    }

    mutating func continueAuth(_ exchange: AuthExchange, line: [UInt8]) -> [SessionAction] {
        var exchange = exchange
        let step = exchange.sasl.receive(String(decoding: line, as: UTF8.self))
        return advance(exchange, step)
    }

    /// Performs the exchange's next step.
    private mutating func advance(_ exchange: AuthExchange, _ step: SASLExchange.Step) -> [SessionAction] {
        switch step {
        case .challenge(let challenge):
            phase = .auth(exchange)
            return [.reply(.authChallenge(challenge))]
        case .verifyPassword(let username, let password):
            phase = .command
            pending = .login
            return [.verifyLogin(username: username, password: password)]
        case .scramStart(let username):
            phase = .command
            pending = .scramStart(exchange)
            return [.scram(.start(username: username))]
        case .scramFinish(let finish):
            phase = .command
            pending = .scramFinish(exchange)
            return [.scram(.finish(finish))]
        case .success:
            reader.maxLineLength = SMTPDefaults.commandLineLength
            phase = .command
            authenticatedUser = exchange.account
            return [.reply(.authSucceeded)]
        case .failure(let error):
            return saslFailed(error)
        }
    }

    /// One fault, one class of answer, as in POP3 and IMAP (`SASLError.Kind`).
    private mutating func saslFailed(_ error: SASLError) -> [SessionAction] {
        switch error.kind {
        case .malformed: return endAuth(.authResponseInvalid)  // 501 5.5.2, RFC 4954 §4
        case .cancelled: return endAuth(.authCancelled)  // 501 5.0.0, RFC 4954 §4
        case .refused: return failedAuth()  // 535 5.7.8
        }
    }

    mutating func finishLogin(_ answer: StoreAnswer) -> [SessionAction] {
        reader.maxLineLength = SMTPDefaults.commandLineLength
        switch answer {
        case .login(let result) where result.result == .ok:
            authenticatedUser = result.address
            return [.reply(.authSucceeded)]
        default:
            return loginRefused(answer)
        }
    }

    /// The store's salt and iteration count: the server-first challenge.
    mutating func finishSCRAMStart(_ exchange: AuthExchange, _ answer: StoreAnswer) -> [SessionAction] {
        guard case .scramSalt(let start) = answer, let salt = SASLBase64.decode(start.salt) else { return loginRefused(answer) }
        var exchange = exchange
        let step = exchange.sasl.scramSalt(salt, iterations: start.iterations)
        return advance(exchange, step)
    }

    /// The store's check of the proof: on success the server-final challenge.
    mutating func finishSCRAMFinish(_ exchange: AuthExchange, _ answer: StoreAnswer) -> [SessionAction] {
        guard case .login(let result) = answer, result.result == .ok,
            let signature = result.serverSignature.flatMap(SASLBase64.decode)
        else { return loginRefused(answer) }
        var exchange = exchange
        exchange.account = result.address
        let step = exchange.sasl.scramVerified(serverSignature: signature)
        return advance(exchange, step)
    }

    /// Any answer but success: locked and store trouble are temporary, the rest a failure.
    private mutating func loginRefused(_ answer: StoreAnswer) -> [SessionAction] {
        reader.maxLineLength = SMTPDefaults.commandLineLength
        phase = .command
        switch answer {
        case .login(let result) where result.result == .locked:
            authFailures += 1
            return [.reply(.authTemporaryFailure)] + (authFailures >= settings.maxAuthFailures ? hangUp() : [])
        case .unavailable, .spoolFailed:
            return [.reply(.authTemporaryFailure)]
        default:
            return failedAuth()
        }
    }

    private mutating func failedAuth() -> [SessionAction] {
        reader.maxLineLength = SMTPDefaults.commandLineLength
        phase = .command
        authFailures += 1
        return [.reply(.authFailed)] + (authFailures >= settings.maxAuthFailures ? hangUp() : [])
    }

    private mutating func endAuth(_ reply: SMTPReply) -> [SessionAction] {
        reader.maxLineLength = SMTPDefaults.commandLineLength
        phase = .command
        return refuse(reply)
    }

    private mutating func hangUp() -> [SessionAction] {
        phase = .closed
        return [.reply(.tooManyErrors), .close]
    }
}
