import Foundation
import SMTPProtocol
import StoreAPI

/// AUTH — submission ports, after EHLO and TLS, before MAIL, once (RFC 4954 §4; PLAIN RFC 4616,
/// LOGIN). The check is the store's, which slows and locks repeated failures; here, too many
/// failures on one connection end it.
///
///     C: AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=
///     S: 235 2.7.0 Authentication successful
enum AuthExchange: Sendable, Equatable {
    case plain
    case login(SASLLogin)

    static func == (a: AuthExchange, b: AuthExchange) -> Bool {
        switch (a, b) {
        case (.plain, .plain), (.login, .login): return true
        default: return false
        }
    }
}

extension SMTPSession {
    mutating func auth(_ mechanism: String, initialResponse: String?) -> [SessionAction] {
        guard listener.isSubmission else { return refuse(.commandNotImplemented) }
        guard phase == .command, usedEHLO else { return refuse(.heloFirst) }
        guard authenticatedUser == nil else { return refuse(.alreadyDone) }
        guard transaction == nil else { return refuse(.badSequence) }
        guard isTLS || settings.allowPlaintextAuth else { return refuse(.encryptionRequired) }
        reader.maxLineLength = SMTPDefaults.authCommandLineLength
        switch mechanism.uppercased() {
        case "PLAIN":
            guard let initialResponse else {
                phase = .auth(.plain)
                return [.reply(.authChallenge(""))]
            }
            return checkPlain(initialResponse)
        case "LOGIN":
            var login = SASLLogin()
            return step(login.start(initialResponse: initialResponse), login)
        default:
            reader.maxLineLength = SMTPDefaults.commandLineLength
            return refuse(.authMechanismUnknown)
        }
    }

    mutating func continueAuth(_ exchange: AuthExchange, line: [UInt8]) -> [SessionAction] {
        let text = String(decoding: line, as: UTF8.self)
        phase = .command
        // RFC 4954 §4: "*" cancels the exchange.
        if text == "*" { return endAuth(.authCancelled) }
        switch exchange {
        case .plain:
            return checkPlain(text)
        case .login(var login):
            return step(login.receive(text), login)
        }
    }

    private mutating func checkPlain(_ response: String) -> [SessionAction] {
        switch SASLPlain.decode(response: response) {
        case .failure(let error):
            return endAuth(error.reply)
        case .success(let credentials):
            // An authorization identity other than the user's own is not supported.
            if let authz = credentials.authorizationIdentity, !authz.isEmpty,
               authz.lowercased() != credentials.authenticationIdentity.lowercased() {
                return failedAuth()
            }
            pending = .login
            return [.verifyLogin(username: credentials.authenticationIdentity, password: credentials.password)]
        }
    }

    private mutating func step(_ result: Result<SASLLogin.Step, SASLError>, _ login: SASLLogin) -> [SessionAction] {
        switch result {
        case .failure(let error):
            return endAuth(error.reply)
        case .success(.challenge(let challenge)):
            phase = .auth(.login(login))
            return [.reply(.authChallenge(challenge))]
        case .success(.credentials(let username, let password)):
            pending = .login
            return [.verifyLogin(username: username, password: password)]
        }
    }

    mutating func finishLogin(_ answer: StoreAnswer) -> [SessionAction] {
        reader.maxLineLength = SMTPDefaults.commandLineLength
        switch answer {
        case .login(let result) where result.result == .ok:
            authenticatedUser = result.address
            return [.reply(.authSucceeded)]
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
