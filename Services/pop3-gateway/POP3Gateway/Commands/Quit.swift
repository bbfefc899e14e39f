import POP3Protocol

/// QUIT from TRANSACTION (RFC 1939 §6): the UPDATE state expunges the marked messages.
extension POP3Session {
    /// QUIT from TRANSACTION enters UPDATE: the marked messages are removed, then goodbye.
    mutating func quitTransaction() -> [SessionAction] {
        let uids = deleted.sorted().map { messages[$0 - 1].uid }
        guard !uids.isEmpty else {
            phase = .closed
            return [.reply(.goodbye), .close]
        }
        pending = .update
        return [.expunge(uids: uids)]
    }

    mutating func finishUpdate(_ answer: StoreAnswer) -> [SessionAction] {
        phase = .closed
        if answer == .expunged { return [.reply(.goodbye), .close] }
        // RFC 1939 §6: "-ERR some deleted messages not removed".
        return [.reply(.updateFailed), .close]
    }
}
