import NIOCore
import NIOSSL
import ServiceKit

/// What the relay's calls answer the client session (`SMTPClientCalls`).
enum SMTPClientAnswer: Sendable, Equatable {
    /// The content and its final dot are written.
    case bodySent
    /// A block of the content was not taken within the data-block timeout (RFC 5321 §4.5.3.2.5).
    case bodyTimedOut
    /// Writing the content failed, described.
    case bodyFailed(String)
    /// A kept session's next message.
    case next(OutboundMessage)
    /// An idle session is not wanted any more: QUIT.
    case quit
}

/// The client session on ServiceKit's shared `SessionDriver`, like the servers' sessions:
/// commands are writes, STARTTLS and close are the driver's, and the content and the
/// message's result go to `SMTPClientCalls`.
extension SMTPClientSession: DrivenSession {
    static func step(_ action: SMTPClientAction) -> DriverStep<SMTPClientAction> {
        switch action {
        case .send(let bytes): return .write(bytes)
        case .startTLS: return .startTLS
        case .close: return .close
        case .sendBody, .finished: return .call(action)
        }
    }

    mutating func resume(_ answer: SMTPClientAnswer) -> [SMTPClientAction] {
        switch answer {
        case .bodySent: return bodySent()
        case .bodyTimedOut: return timedOut()
        case .bodyFailed(let description): return connectionLost(.error(description))
        case .next(let message): return deliver(message)
        case .quit: return quit()
        }
    }

    /// Between messages QUIT; in the middle of one, nothing (the driver asks again).
    mutating func shutdown() -> [SMTPClientAction] {
        isIdle ? quit() : []
    }

    /// TLS errors are told apart: their text names files of our build (`ConnectionLoss.tls`).
    mutating func connectionEnded(_ error: (any Error)?) -> [SMTPClientAction] {
        guard let error else { return connectionLost(.closedByPeer) }
        if error is NIOSSLError || error is NIOSSLExtraError { return connectionLost(.tls) }
        if let channelError = error as? ChannelError, [.ioOnClosedChannel, .alreadyClosed, .eof].contains(channelError) {
            return connectionLost(.closedByPeer)  // a command written after the server had gone
        }
        return connectionLost(.error("\(error)"))
    }

    /// Each reply is awaited from when its command was written (RFC 5321 §4.5.3.2).
    var inactivityTimeout: Duration { currentTimeout }
    /// A client: no login deadline applies to it.
    var isAuthenticated: Bool { true }
    /// A reply begun but not ended must end within the step's timeout too: a server that
    /// trickles a multi-line reply a byte at a time cannot hold a worker for days.
    var hasPartialCommand: Bool { parser.hasPartialReply }
    static var timeoutCountsFromWrites: Bool { true }
}
