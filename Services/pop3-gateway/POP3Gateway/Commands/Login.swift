import POP3Protocol
import StoreAPI

/// The end of a login, by USER/PASS or AUTH: the store's answer, failures counted (the
/// session ends after `maxAuthFailures`), and on success the maildrop locked and listed as
/// the session enters TRANSACTION (RFC 1939 §8).
extension POP3Session {
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

    mutating func failedLogin() -> [SessionAction] {
        [.reply(.authFailed)] + countFailure()
    }

    mutating func countFailure() -> [SessionAction] {
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
}
