import POP3Protocol
import StoreAPI

/// One POP3 session as a state machine (RFC 1939 §3–§6, RFC 2449, RFC 5034, RFC 2595):
/// bytes and store answers in, actions out. Message numbers are fixed when TRANSACTION
/// begins; deletions are only marks until QUIT, and only QUIT from TRANSACTION removes
/// anything (a dropped connection deletes nothing).
public struct POP3Session: Sendable {
    public let settings: SessionSettings
    public let id: String
    public internal(set) var isTLS: Bool

    enum Phase: Sendable, Equatable {
        /// AUTHORIZATION; `user` after an accepted USER.
        case authorization(user: String?)
        /// AUTH waiting for the client's response line.
        case sasl(AuthExchange)
        case transaction
        case closed
    }

    enum Pending: Sendable, Equatable {
        case login
        /// SCRAM-SHA-256 waits for the store's salt, then for its check of the proof.
        case scramStart(AuthExchange)
        case scramFinish(AuthExchange)
        case maildrop
        case message
        case update
    }

    var phase = Phase.authorization(user: nil)
    var pending: Pending?
    public var reader = POP3LineReader(maxLineLength: POP3Defaults.commandLineLength)
    var account: String?
    var uidValidity: UInt32 = 0
    var messages: [MaildropEntry] = []
    var deleted: Set<Int> = []
    var errors = 0
    var authFailures = 0

    public init(settings: SessionSettings, id: String, isTLS: Bool) {
        self.settings = settings
        self.id = id
        self.isTLS = isTLS
    }

    public mutating func start() -> [SessionAction] {
        [.reply(.greeting(settings.hostname))]
    }

    public mutating func resume(_ answer: StoreAnswer) -> [SessionAction] {
        guard let waiting = pending else { return [] }
        pending = nil
        let actions: [SessionAction]
        switch waiting {
        case .login: actions = finishLogin(answer)
        case .scramStart(let exchange): actions = finishSCRAMStart(exchange, answer)
        case .scramFinish(let exchange): actions = finishSCRAMFinish(exchange, answer)
        case .maildrop: actions = finishMaildrop(answer)
        case .message: actions = finishMessage(answer)
        case .update: actions = finishUpdate(answer)
        }
        return actions + process()
    }

    @discardableResult
    public mutating func tlsEstablished() -> [SessionAction] {
        isTLS = true
        return []
    }

    public var isWaitingForStore: Bool { pending != nil }
    public var isClosed: Bool { phase == .closed }
    public var isInTransaction: Bool { phase == .transaction }
    /// The account whose maildrop this session holds, once in TRANSACTION.
    public var maildropAccount: String? { phase == .transaction || pending == .update ? account : nil }
    /// A command line has begun but not ended.
    public var hasPartialCommand: Bool { reader.hasBufferedBytes }

    /// Passwords only over TLS or where plaintext is allowed (RFC 2595 §2.3 advice).
    var passwordsAllowed: Bool { isTLS || settings.plaintextAuthAllowed }

    /// The next command line (or SASL response line), handled.
    public mutating func handleNext() -> [SessionAction]? {
        switch reader.next() {
        case nil:
            return nil
        case .tooLong:
            return refuse(.lineTooLong)
        case .line(let line, _):
            if case .sasl(let exchange) = phase {
                return continueAuth(exchange, line: String(decoding: line, as: UTF8.self))
            }
            switch POP3CommandParser.parse(line: line[...]) {
            case .failure(let error): return refuse(error.response)
            case .success(let command): return dispatch(command)
            }
        }
    }

    /// Which command is legal in which state (RFC 1939 §4–§6).
    mutating func dispatch(_ command: POP3Command) -> [SessionAction] {
        switch (command, phase) {
        case (.capa, _): return capa()
        case (.quit, .transaction): return quitTransaction()
        case (.quit, _):
            phase = .closed
            return [.reply(.goodbye), .close]
        case (.noop, .transaction): return [.reply(.ok())]
        case (.stls, .authorization): return stls()
        case (.user(let name), .authorization): return user(name)
        case (.pass(let password), .authorization(let user)): return pass(password, user: user)
        case (.apop, .authorization): return refuse(.apopNotSupported)
        case (.authList, .authorization): return [.raw(capabilities.mechanismListEncoded)]
        case (.auth(let mechanism, let initial), .authorization): return auth(mechanism, initialResponse: initial)
        case (.stat, .transaction): return stat()
        case (.list(let n), .transaction): return list(n)
        case (.uidl(let n), .transaction): return uidl(n)
        case (.retr(let n), .transaction): return retrieve(n, lines: nil)
        case (.top(let n, let lines), .transaction): return retrieve(n, lines: lines)
        case (.dele(let n), .transaction): return dele(n)
        case (.rset, .transaction): return rset()
        default: return refuse(.wrongState)
        }
    }

    /// An error reply; too many and the session ends (a lost or abusive client).
    mutating func refuse(_ response: POP3Response) -> [SessionAction] {
        errors += 1
        if errors >= settings.maxErrors {
            phase = .closed
            return [.reply(response), .reply(.tooManyErrors), .close]
        }
        return [.reply(response)]
    }

    var capabilities: CapabilityList {
        CapabilityList(
            tlsActive: isTLS, tlsAvailable: settings.tlsAvailable, plaintextAuthAllowed: settings.plaintextAuthAllowed,
            saslMechanisms: Self.saslMechanisms)
    }
}
