import POP3Protocol

/// RETR (RFC 1939 §5) and TOP (RFC 1939 §7), in TRANSACTION: the message streamed from the
/// store by the connection's calls.
extension POP3Session {
    mutating func retrieve(_ n: Int, lines: Int?) -> [SessionAction] {
        switch message(n) {
        case .refused(let error):
            return refuse(error)
        case .found(let entry):
            pending = .message
            return [.sendMessage(uid: entry.uid, size: entry.size, lines: lines)]
        }
    }

    mutating func finishMessage(_ answer: StoreAnswer) -> [SessionAction] {
        switch answer {
        case .sent: return []
        case .notSent: return [.reply(.tempFailure)]
        default:
            // Part of the message went out and the rest cannot follow: the only honest
            // thing left is to hang up (deleting nothing).
            phase = .closed
            return [.close]
        }
    }
}
