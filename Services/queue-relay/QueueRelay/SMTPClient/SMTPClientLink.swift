import Logging
import ServiceKit

/// One client connection as MessageDelivery and ConnectionCache see it, while its session
/// runs on the shared driver: hand it a message, wait for that message's outcome; between
/// messages the connection's calls wait here (`idle`) for the next one or the end.
///
/// Every message gets exactly one outcome: the session's `.finished`, or nil when the
/// connection ended without one (only when nothing was written for it).
actor SMTPClientLink {
    /// What an idle connection's calls are told.
    enum Next: Sendable {
        case message(OutboundMessage, content: [UInt8])
        case quit
    }

    /// Whether the connection is still open (`ClientConnection.isActive`).
    private let isActive: @Sendable () -> Bool
    /// A message is on its way and its outcome not reported yet.
    private var inFlight = true
    /// Who waits for the outcome, or the outcome when it came before anyone waited.
    private var waiter: CheckedContinuation<SMTPClientOutcome?, Never>?
    private var reported: SMTPClientOutcome??
    /// The calls of an idle session, waiting; numbered so a late idle timer ends no later wait.
    private var idle: (continuation: CheckedContinuation<Next, Never>, number: Int)?
    private var idleWaits = 0
    /// QUIT when idle (the cache is done with it, or the driver has ended).
    private var quitting = false

    init(isActive: @escaping @Sendable () -> Bool) {
        self.isActive = isActive
    }

    /// The outcome of the message in flight (the first one, or the one `deliver` gave).
    func outcome() async -> SMTPClientOutcome? {
        if let reported {
            self.reported = nil
            return reported
        }
        guard inFlight else { return nil }
        return await withCheckedContinuation { waiter = $0 }
    }

    /// The next message on an idle session; nil, and the session ends, when it is not idle
    /// or its connection closed while it waited (noticed before anything is written).
    func deliver(_ message: OutboundMessage, content: [UInt8]) async -> SMTPClientOutcome? {
        guard let idle, !quitting, isActive() else {
            end()
            return nil
        }
        self.idle = nil
        inFlight = true
        idle.continuation.resume(returning: .message(message, content: content))
        return await outcome()
    }

    /// Ends the session: QUIT when it is idle now or becomes idle.
    func end() {
        quitting = true
        if let idle {
            self.idle = nil
            idle.continuation.resume(returning: .quit)
        }
    }

    // MARK: - The connection's calls

    /// The session's result for the message in flight (reported once).
    func report(_ outcome: SMTPClientOutcome?) {
        guard inFlight else { return }
        inFlight = false
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: outcome)
        } else {
            reported = .some(outcome)
        }
    }

    /// Reports a reusable outcome, then waits idle for the next message, or QUIT after
    /// `idleLimit` (Postfix's scache keeps sessions a few seconds too).
    func reportThenWait(_ outcome: SMTPClientOutcome, idleLimit: Duration) async -> Next {
        report(outcome)
        if quitting { return .quit }
        return await withCheckedContinuation { continuation in
            idleWaits += 1
            let number = idleWaits
            idle = (continuation, number)
            Task {
                try? await Task.sleep(for: idleLimit)
                self.expire(number)  // the task runs on this actor
            }
        }
    }

    private func expire(_ number: Int) {
        guard let idle, idle.number == number else { return }
        end()
    }

    /// The driver has ended: a message still in flight has no outcome.
    func ended() {
        report(nil)
        end()
    }
}

extension SMTPClientLink {
    /// Runs `session` on the shared driver over `connection`, in its own task (it outlives
    /// this message when the connection is kept), with `content` for its first message.
    static func start(
        _ session: SMTPClientSession, on connection: ClientConnection, content: [UInt8], tls: SMTPClientTLS,
        logger: Logger
    ) -> SMTPClientLink {
        let link = SMTPClientLink(isActive: { connection.isActive })
        let timeouts = session.settings.timeouts
        let calls = SMTPClientCalls(link: link, content: content, blockTimeout: timeouts.dataBlock, idleLimit: ConnectionCache.idleLimit)
        Task {
            await connection.run(
                session: session, makeCalls: { _ in calls }, makeTLSHandler: tls.makeHandler,
                writeTimeout: timeouts.dataBlock, logger: logger)
        }
        return link
    }
}
