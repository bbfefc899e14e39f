import POP3Protocol

/// DELE and RSET (RFC 1939 §5), in TRANSACTION: deletions are only marks until QUIT.
extension POP3Session {
    mutating func dele(_ n: Int) -> [SessionAction] {
        switch message(n) {
        case .refused(let error): return refuse(error)
        case .found:
            deleted.insert(n)
            return [.reply(.ok("Message \(n) deleted"))]
        }
    }

    mutating func rset() -> [SessionAction] {
        deleted = []
        return [.reply(.ok("Maildrop has \(messages.count) messages"))]
    }
}
