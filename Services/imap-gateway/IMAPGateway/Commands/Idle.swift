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
        let watch = IdleWatch(watcher: watcher)
        watch.watch(idleFeeds(account))
        let task = Task {
            for await _ in watch.nudges {
                // In a child task, as every input (IMAPSession.handle): the frames of what a
                // tick announces are given back after it, not kept while the session idles.
                async let tick: Void = self.idleTick()
                await tick
            }
        }
        idle = IdleState(tag: tag, task: task, watch: watch)
        return .deferred
    }

    /// The feeds whose changes IDLE reports: a shared mailbox's are in its owner's feed (RFC
    /// 4314), the account's own tell of its other mailboxes and its grants, and NOTIFY reads
    /// the owners' of the shared mailboxes it watches (RFC 5465).
    func idleFeeds(_ account: String) -> Set<String> {
        var feeds = Set(notifyState?.ownerCursors.keys.map { $0 } ?? [])
        if let owner = sharedSelection?.owner { feeds.insert(owner) }
        feeds.insert(account)  // also with a shared mailbox selected: its grants are there
        return feeds
    }

    /// The account changed: tell the idling client what it sees of it.
    func idleTick() async {
        guard idle != nil else { return }
        do {
            if state == .selected { try await announceChanges(allowExpunge: true) }
            try await announceNotifications()  // RFC 5465 §5: NOTIFY's events while idle
            try await flush()
            // A grant may have brought NOTIFY a new owner's feed to listen to.
            if let account, let watch = idle?.watch { watch.watch(idleFeeds(account)) }
        } catch {
            logger.debug("idle update failed", metadata: ["error": "\(error)"])
        }
    }

    /// The line that ends IDLE: DONE, or anything else (BAD, and IDLE ends too).
    func idleInput(_ framed: IMAPFramedCommand) async throws -> SessionDirective {
        guard let current = idle else { return .proceed }
        idle = nil
        current.watch.stop()
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
