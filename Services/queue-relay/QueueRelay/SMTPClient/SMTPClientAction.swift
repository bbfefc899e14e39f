import SMTPProtocol
import StoreAPI

/// What the client session asks its driver to do (CONVENTIONS.md §4). The driver performs
/// these in order and decides nothing; what happened comes back as the session's inputs.
enum SMTPClientAction: Sendable, Equatable {
    /// Write these bytes: one command, or a pipelined group of commands as one write
    /// (RFC 2920 §3.1).
    case send([UInt8])
    /// The server said 2xx to STARTTLS: begin the TLS client handshake now, and report its
    /// end with `tlsEstablished()` or `connectionLost(.tls)` (RFC 3207 §4.2).
    case startTLS
    /// Write the message content now: dot-stuffed with CRLF line ends and ended by `.CRLF`
    /// (`DataStuffingEncoder`), then call `bodySent()`. The calls hold the content
    /// (`SMTPClientCalls`).
    case sendBody
    /// The message has its result at this host.
    case finished(SMTPClientOutcome)
    /// Send nothing more and close the connection.
    case close
}

/// The result of one message at one host.
struct SMTPClientOutcome: Sendable, Equatable {
    enum Result: Sendable, Equatable {
        /// Every recipient has an outcome: delivered (2xx), deferred (4xx), failed (5xx).
        case recipients([RecipientOutcome])
        /// Nothing was decided at this host (unreachable, refused at the door, broke down
        /// before a transaction ended): the next host is tried; `reason` is kept for when
        /// none works.
        case tryNextHost(reason: String)
    }

    var result: Result
    /// The session is idle and can carry the next message (`deliver(_:)`); otherwise it is
    /// quitting or closed.
    var reusable: Bool
}

/// How the connection ended under the session, as the driver saw it.
enum ConnectionLoss: Sendable, Equatable {
    /// The server closed the connection.
    case closedByPeer
    /// The TLS handshake (or TLS later on) failed. The library's text names files of our
    /// build, so it is not passed on into notices.
    case tls
    /// Any other error of the connection, described.
    case error(String)
}

/// One message for one destination host: its envelope, and what the checks before MAIL
/// need from the content (the driver holds the content itself).
struct OutboundMessage: Sendable, Equatable {
    var entry: QueueEntry
    var recipients: [QueueRecipient]
    /// Octets of the content, for SIZE (RFC 1870).
    var size: Int
    /// BODY=8BITMIME and the content has octets over 127, so it needs 8BITMIME (RFC 6152 §3).
    var needs8BitMIME: Bool

    init(entry: QueueEntry, recipients: [QueueRecipient], size: Int, needs8BitMIME: Bool) {
        self.entry = entry
        self.recipients = recipients
        self.size = size
        self.needs8BitMIME = needs8BitMIME
    }

    init(entry: QueueEntry, recipients: [QueueRecipient], content: [UInt8]) {
        self.init(
            entry: entry, recipients: recipients, size: content.count,
            needs8BitMIME: entry.body == "8BITMIME" && content.contains(where: { $0 >= 0x80 }))
    }
}
