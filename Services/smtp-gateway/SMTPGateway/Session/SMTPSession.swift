import Foundation
import SMTPProtocol
import StoreAPI

/// One SMTP server session as a state machine (RFC 5321 §4.1, §4.3.2): bytes and store answers
/// in, actions out. It opens no sockets and never waits: when it needs the store it returns
/// the request and stops reading commands until `resume(_:)` brings the answer, which is also
/// how PIPELINING (RFC 2920) keeps the replies in command order.
public struct SMTPSession: Sendable {
    public let listener: Listener
    public let settings: SessionSettings
    /// Identifies the session in logs, Received headers and idempotency keys.
    public let id: String
    let clientAddress: String
    let now: @Sendable () -> Date

    enum Phase: Sendable, Equatable {
        /// Before HELO/EHLO (and again after STARTTLS, RFC 3207 §4.2).
        case greeting
        /// Ready for MAIL (or in a transaction: see `transaction`).
        case command
        /// Receiving the DATA content.
        case data
        /// Receiving `remaining` octets of a BDAT chunk (RFC 3030 §2).
        case bdat(remaining: Int, last: Bool)
        /// An AUTH exchange waiting for the client's next line.
        case auth(AuthExchange)
        case closed
    }

    enum Pending: Sendable, Equatable {
        case login
        /// SCRAM-SHA-256 waits for the store's salt, then for its check of the proof.
        case scramStart(AuthExchange)
        case scramFinish(AuthExchange)
        case sender(MailTransaction)
        case recipient(SMTPPath, RcptParameters)
        case delivery
    }

    var phase = Phase.greeting
    var pending: Pending?
    public var reader = SMTPLineReader(maxLineLength: SMTPDefaults.commandLineLength)
    var decoder: DataStuffingDecoder?
    var transaction: MailTransaction?
    var ehloDomain: String?
    var usedEHLO = false
    public internal(set) var isTLS: Bool
    public internal(set) var authenticatedUser: String?
    var errors = 0
    var authFailures = 0
    var transactions = 0

    public init(
        listener: Listener, settings: SessionSettings, id: String, clientAddress: String, isTLS: Bool,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.listener = listener
        self.settings = settings
        self.id = id
        self.clientAddress = clientAddress
        self.isTLS = isTLS
        self.now = now
    }

    /// The greeting (RFC 5321 §4.2: `220` first).
    public mutating func start() -> [SessionAction] {
        [.reply(.serviceReady(settings.hostname))]
    }

    /// The store's answer to the action that paused the session.
    public mutating func resume(_ answer: StoreAnswer) -> [SessionAction] {
        if answer == .spoolFailed {
            phase = .closed
            return [.reply(.insufficientStorage), .close]
        }
        guard let waiting = pending else { return [] }
        pending = nil
        var actions: [SessionAction]
        switch waiting {
        case .login: actions = finishLogin(answer)
        case .scramStart(let exchange): actions = finishSCRAMStart(exchange, answer)
        case .scramFinish(let exchange): actions = finishSCRAMFinish(exchange, answer)
        case .sender(let t): actions = finishMail(t, answer)
        case .recipient(let path, let parameters): actions = finishRcpt(path, parameters, answer)
        case .delivery: actions = finishDelivery(answer)
        }
        return actions + process()
    }

    /// The TLS handshake finished (after STARTTLS, or at once on the implicit-TLS port).
    @discardableResult
    public mutating func tlsEstablished() -> [SessionAction] {
        isTLS = true
        return []
    }

    public var isWaitingForStore: Bool { pending != nil }
    public var isClosed: Bool { phase == .closed }

    /// The next command line, or the content received so far in DATA/BDAT.
    public mutating func handleNext() -> [SessionAction]? {
        switch phase {
        case .data:
            guard reader.hasBufferedBytes else { return nil }
            return receiveData(reader.takeBuffered())
        case .bdat(let remaining, let last):
            guard reader.hasBufferedBytes else { return nil }
            return receiveChunk(reader.takeBuffered(), remaining: remaining, last: last)
        default:
            switch reader.next() {
            case nil: return nil
            case .tooLong: return refuse(.lineTooLong)
            case .line(let line, _): return handleLine(line)
            }
        }
    }

    mutating func handleLine(_ line: [UInt8]) -> [SessionAction] {
        if case .auth(let exchange) = phase {
            return continueAuth(exchange, line: line)
        }
        switch SMTPCommandParser.parse(line: line[...]) {
        case .failure(let error):
            return refuse(error.reply)
        case .success(let command):
            return dispatch(command)
        }
    }

    /// Which command is legal when: the table of RFC 5321 §4.1.4 and §4.3.2.
    mutating func dispatch(_ command: SMTPCommand) -> [SessionAction] {
        switch command {
        case .helo(let domain): return helo(domain)
        case .ehlo(let domain): return ehlo(domain)
        case .mail(let from, let parameters): return mail(from, parameters)
        case .rcpt(let to, let parameters): return rcpt(to, parameters)
        case .data: return data()
        case .bdat(let size, let last): return bdat(size: size, last: last)
        case .rset: return rset()
        case .noop: return [.reply(.ok)]
        case .vrfy: return [.reply(.cannotVRFY)]
        case .expn: return refuse(.commandNotImplemented)
        case .help: return [.reply(.help)]
        case .quit:
            phase = .closed
            return [.reply(.closing), .close]
        case .startTLS: return startTLS()
        case .auth(let mechanism, let initial): return auth(mechanism, initialResponse: initial)
        }
    }

    /// A refused command; too many of them and we hang up (a client that is lost or abusive).
    mutating func refuse(_ reply: SMTPReply) -> [SessionAction] {
        errors += 1
        if errors >= settings.maxErrors {
            phase = .closed
            return [.reply(reply), .reply(.tooManyErrors), .close]
        }
        return [.reply(reply)]
    }

    /// The store is down: a temporary reply, and the session stays usable (ARCHITECTURE.md).
    static let storeUnavailable = SMTPReply.temporaryFailure
}

/// One mail transaction (RFC 5321 §3.3): from MAIL to the end of DATA/BDAT LAST, or RSET.
///
/// The body itself is not kept here: it leaves as `.content` actions for the connection to
/// spool, so a session holds at most `headLimit` bytes of it (for the header checks).
struct MailTransaction: Sendable, Equatable {
    var sender: SMTPPath
    var parameters: MailParameters
    var recipients: [EnvelopeRecipient] = []
    /// Octets of body received so far.
    var size = 0
    /// The first octets of the body: enough to see its header fields.
    var head: [UInt8] = []
    var tooBig = false
    var chunking = false

    /// Header fields beyond this are not looked at (RFC 6409 §8 additions only need the names).
    static let headLimit = 64 * 1024

    /// Records `bytes` of body; answers the action that passes them on, or nil when the
    /// message is over `limit` (then only counted, so that the end can be answered `552`).
    mutating func append(_ bytes: ArraySlice<UInt8>, limit: Int) -> SessionAction? {
        size += bytes.count
        if size > limit { tooBig = true }
        guard !tooBig, !bytes.isEmpty else { return nil }
        if head.count < Self.headLimit { head += bytes.prefix(Self.headLimit - head.count) }
        return .content(Array(bytes))
    }
}

extension SMTPSession {
    /// A command line has begun but not ended (the reader holds bytes outside DATA/BDAT).
    public var hasPartialCommand: Bool {
        switch phase {
        case .greeting, .command, .auth: return reader.hasBufferedBytes
        default: return false
        }
    }

    /// The message content is being received (DATA or a BDAT chunk).
    public var isReceivingContent: Bool {
        switch phase {
        case .data, .bdat: return true
        default: return false
        }
    }

    /// The client's IP address, for the store's per-address login throttling.
    public var clientAddressForStore: String { clientAddress }
}
