import IMAPProtocol

/// IDLE: changes are announced as they happen until the client sends DONE. RFC 2177,
/// RFC 9051 §6.3.13. The wait is the gateway's shared long poll (ChangeWatcher).
extension IMAPSession {
    func startIdle(tag: String) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        try await send(.continuation("idling"))
        try await announceChanges(allowExpunge: true)
        try await announceNotifications()
        try await flush()
        // A shared mailbox's changes are in its owner's feed (RFC 4314).
        let (stream, cancel) = watcher.subscribe(sharedSelection?.owner ?? account)
        let task = Task {
            for await _ in stream {
                await self.idleTick()
            }
        }
        idle = IdleState(tag: tag, task: task, cancelWatch: cancel)
        return .deferred
    }

    /// The account changed: tell the idling client what it sees of it.
    func idleTick() async {
        guard idle != nil else { return }
        do {
            if state == .selected { try await announceChanges(allowExpunge: true) }
            try await announceNotifications()  // RFC 5465 §5: NOTIFY's events while idle
            try await flush()
        } catch {
            logger.debug("idle update failed", metadata: ["error": "\(error)"])
        }
    }

    /// The line that ends IDLE: DONE, or anything else (BAD, and IDLE ends too).
    func idleInput(_ framed: IMAPFramedCommand) async throws -> SessionDirective {
        guard let current = idle else { return .proceed }
        idle = nil
        current.cancelWatch()
        current.task.cancel()
        await current.task.value
        let line = String(decoding: framed.lines[0], as: UTF8.self)
        if line.uppercased() == "DONE", framed.literals.isEmpty {
            if state == .selected { try await announceChanges(allowExpunge: true) }
            try await send(.tagged(current.tag, .ok, nil, "IDLE terminated"))
        } else {
            try await send(.tagged(current.tag, .bad, nil, "Expected DONE"))
        }
        return .proceed
    }
}
