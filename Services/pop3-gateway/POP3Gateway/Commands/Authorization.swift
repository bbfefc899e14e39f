import Foundation
import POP3Protocol
import StoreAPI

/// AUTHORIZATION state: USER/PASS (RFC 1939 §7), AUTH PLAIN with initial response
/// (RFC 5034, RFC 4616), STLS (RFC 2595 §4). On success the maildrop is locked and listed,
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

    mutating func auth(_ mechanism: String, initialResponse: String?) -> [SessionAction] {
        guard mechanism.uppercased() == "PLAIN" else { return refuse(.unknownMechanism) }
        guard passwordsAllowed else { return refuse(.tlsRequired) }
        guard let initialResponse else {
            phase = .saslPlain
            reader.maxLineLength = POP3Defaults.saslLineLength
            return [.reply(.continuation())]
        }
        return checkPlain(initialResponse)
    }

    mutating func continuePlain(_ line: String) -> [SessionAction] {
        phase = .authorization(user: nil)
        reader.maxLineLength = POP3Defaults.commandLineLength
        if line == "*" { return refuse(.authCancelled) }  // RFC 5034 §4
        return checkPlain(line)
    }

    /// RFC 4616: `[authzid] NUL authcid NUL passwd`, base64; "=" is an empty response.
    private mutating func checkPlain(_ response: String) -> [SessionAction] {
        guard let data = Data(base64Encoded: response == "=" ? "" : response) else { return refuse(.invalidSASLResponse) }
        let fields = [UInt8](data).split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3, let authcid = String(validating: fields[1], as: UTF8.self),
              let password = String(validating: fields[2], as: UTF8.self), !authcid.isEmpty else {
            return refuse(.invalidSASLResponse)
        }
        let authzid = String(decoding: fields[0], as: UTF8.self)
        guard authzid.isEmpty || authzid.lowercased() == authcid.lowercased() else { return failedLogin() }
        pending = .login
        return [.verifyLogin(username: authcid, password: password)]
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

    mutating func capa() -> [SessionAction] {
        [.raw(capabilities.encoded)]
    }
}
