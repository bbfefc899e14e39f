import Foundation
import SMTPProtocol

/// Runs one `SMTPClientSession` over one `SMTPClientConnection`: performs its actions, and
/// feeds back the server's bytes, the TLS handshake's end, the content written, the deadline
/// of `currentTimeout` and the connection's end. It decides nothing (CONVENTIONS.md §4).
///
/// Small on purpose: the shared session driver in ServiceKit will take its place.
actor SMTPClientDriver {
    /// How `.startTLS` is done: the session only says when.
    struct TLSSettings: Sendable {
        var serverName: String
        var verify: Bool
        var caFile: String?
    }

    /// Content is written in blocks of this size, each within the data-block timeout.
    static let blockSize = 64 * 1024

    private var session: SMTPClientSession
    private let connection: SMTPClientConnection
    private let tls: TLSSettings
    private var content: [UInt8] = []
    private var closed = false

    init(session: SMTPClientSession, connection: SMTPClientConnection, tls: TLSSettings) {
        self.session = session
        self.connection = connection
        self.tls = tls
    }

    /// Opens the session and delivers its first message; nil only if it had none.
    func start(content: [UInt8]) async -> SMTPClientOutcome? {
        self.content = content
        return await run(session.start())
    }

    /// The next message on a kept session; nil when the session did not survive its idle
    /// time (the server closed or said 421 meanwhile).
    func deliver(_ message: OutboundMessage, content: [UInt8]) async -> SMTPClientOutcome? {
        for event in await connection.buffered() where !closed {
            _ = await perform(feed(event))
        }
        guard !closed, session.isIdle else { return nil }
        self.content = content
        return await run(session.deliver(message))
    }

    /// QUIT on an idle session, or the end of one already quitting, then close. Bounded by
    /// the session's QUIT timeout.
    func shutdown() async {
        _ = await run(session.quit())
        if !closed { closeConnection() }
    }

    /// Performs actions and waits for events until the session has a result for the message
    /// or is closed.
    private func run(_ first: [SMTPClientAction]) async -> SMTPClientOutcome? {
        var outcome = await perform(first)
        while outcome == nil && !closed {
            let event = await connection.next(within: session.currentTimeout)
            outcome = await perform(feed(event))
        }
        return outcome
    }

    private func feed(_ event: SMTPClientConnection.Event) -> [SMTPClientAction] {
        switch event {
        case .bytes(let bytes): return session.receive(bytes)
        case .tlsEstablished: return session.tlsEstablished()
        case .tlsFailed: return session.connectionLost(.tls)
        case .failed(let description): return session.connectionLost(.error(description))
        case .closed: return session.connectionLost(.closedByPeer)
        case .timedOut: return session.timedOut()
        }
    }

    /// Performs actions in order (and those their results bring); answers the outcome if one
    /// of them was `.finished`.
    private func perform(_ actions: [SMTPClientAction]) async -> SMTPClientOutcome? {
        var queue = actions[...]
        var outcome: SMTPClientOutcome?
        while let action = queue.popFirst() {
            switch action {
            case .send(let bytes):
                if !closed { connection.send(bytes) }
            case .startTLS:
                do {
                    try await connection.startTLS(serverName: tls.serverName, verify: tls.verify, caFile: tls.caFile)
                } catch {
                    queue += session.connectionLost(.tls)
                }
            case .sendBody:
                queue += await writeContent()
            case .finished(let result):
                outcome = result
            case .close:
                closeConnection()
            }
        }
        return outcome
    }

    /// The content dot-stuffed and ended by `.CRLF` (RFC 5321 §4.5.2), block by block.
    private func writeContent() async -> [SMTPClientAction] {
        var encoder = DataStuffingEncoder()
        var offset = 0
        var last = false
        while !last {
            let end = min(offset + Self.blockSize, content.count)
            var block = encoder.encode(content[offset..<end])
            offset = end
            if offset == content.count {
                block += encoder.finish()
                last = true
            }
            switch await connection.write(block, within: session.currentTimeout) {
            case .written: continue
            case .timedOut: return session.timedOut()
            case .failed(let description): return session.connectionLost(.error(description))
            }
        }
        content = []
        return session.bodySent()
    }

    private func closeConnection() {
        closed = true
        connection.close()
    }
}
