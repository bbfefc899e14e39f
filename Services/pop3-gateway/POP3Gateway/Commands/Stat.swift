import POP3Protocol

/// STAT (RFC 1939 §5), and how TRANSACTION commands find a message by number.
extension POP3Session {
    /// The message with number `n`, or the response refusing it: out of range or marked
    /// deleted (RFC 1939 §5: "may not refer to a message marked as deleted").
    func message(_ n: Int) -> Refusable<MaildropEntry> {
        guard n >= 1, n <= messages.count else { return .refused(.noSuchMessage) }
        guard !deleted.contains(n) else { return .refused(.messageDeleted) }
        return .found(messages[n - 1])
    }

    var live: [(number: Int, entry: MaildropEntry)] {
        messages.enumerated().filter { !deleted.contains($0.offset + 1) }.map { ($0.offset + 1, $0.element) }
    }

    mutating func stat() -> [SessionAction] {
        let list = live
        return [.reply(.dropListing(count: list.count, octets: list.reduce(0) { $0 + $1.entry.size }))]
    }
}

/// A message looked up by number, or the response that refuses the command.
enum Refusable<Value> {
    case found(Value)
    case refused(POP3Response)
}
