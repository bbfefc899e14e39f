import IMAPProtocol
import ServiceKit

/// The IMAP connection as a `DrivenSession`: frames the client's bytes into commands
/// (`IMAPCommandReader`), answers literal continuations itself (RFC 9051 §7.5), and hands each
/// command to the command session (`IMAPSession`, through `IMAPCalls`) one at a time.
///
/// After a STARTTLS the client's plaintext is dropped: what the reader holds here, and what
/// the driver read before TLS was in place (RFC 9051 §11.1; CVE-2011-0411).
struct IMAPFraming: DrivenSession {
    enum Action: Sendable {
        case write([UInt8])
        case startTLS
        case close
        /// Say hello (the untagged OK with CAPABILITY).
        case greet
        /// Run one framed input in the command session; it answers what comes next.
        case run(IMAPInput)
        /// A literal too big to hold begins (APPEND of a big message): spool it.
        case beginSpool
        case spool([UInt8])
        /// TLS is in place: the command session offers what it offers over TLS.
        case tlsStarted
        /// Answer COMPRESS with this tag `OK` and put the deflate layer in place in the same
        /// event-loop turn: the client's first compressed bytes, sent as soon as it reads the
        /// OK, must meet the inflater. RFC 4978 §3
        case startCompression(tag: String)
    }

    private var reader: IMAPCommandReader
    let limits: ConnectionLimits
    private var closed = false

    /// Literals over this are spooled instead of held (APPEND of a big message).
    static let streamThreshold = 1024 * 1024
    static let continuation = Array("+ Ready for literal data\r\n".utf8)

    init(limits: ConnectionLimits, maxLineLength: Int) {
        self.limits = limits
        self.reader = IMAPCommandReader(maxLineLength: maxLineLength, maxLiteralSize: limits.maxLiteralSize.load(ordering: .relaxed))
        self.reader.streamThreshold = Self.streamThreshold
    }

    static func step(_ action: Action) -> DriverStep<Action> {
        switch action {
        case .write(let bytes): return .write(bytes)
        case .startTLS: return .startTLS
        case .close: return .close
        case .greet, .run, .beginSpool, .spool, .tlsStarted, .startCompression: return .call(action)
        }
    }

    mutating func start() -> [Action] { [.greet] }

    mutating func receive(_ bytes: [UInt8]) -> [Action] {
        guard !closed else { return [] }
        reader.append(bytes)
        return frame()
    }

    mutating func resume(_ directive: SessionDirective) -> [Action] {
        switch directive {
        case .close:
            closed = true
            return [.close]
        case .startTLS(let tag):
            _ = reader.takeBuffered()
            return [.write(Array("\(tag) OK Begin TLS negotiation now\r\n".utf8)), .startTLS, .tlsStarted]
        case .compress(let tag):
            // RFC 4978 §3: the client sends nothing more until it has seen the OK; what it
            // sent before it cannot be told apart from compressed bytes, and is dropped.
            _ = reader.takeBuffered()
            return [.startCompression(tag: tag)]
        case .proceed:
            return frame()
        }
    }

    func tlsEstablished() -> [Action] { [] }

    /// RFC 9051 §5.4: the autologout timer; the command session says BYE.
    mutating func timedOut() -> [Action] {
        closed ? [] : [.run(.timedOut)]
    }

    mutating func shutdown() -> [Action] {
        closed ? [] : [.run(.shutdown)]
    }

    /// `* BYE [LIMIT]`: the gateway is full and this connection, not logged in, makes room.
    mutating func evicted() -> [Action] {
        closed ? [] : [.run(.evicted)]
    }

    /// Short before login, 30 minutes after (the command session changes it at login).
    var inactivityTimeout: Duration { .seconds(limits.timeoutSeconds.load(ordering: .relaxed)) }

    /// LOGIN or AUTHENTICATE succeeded (the command session says so in `limits`).
    var isAuthenticated: Bool { limits.authenticated.load(ordering: .relaxed) }

    /// A command has begun and not ended: its lines, and before login its (small) literals
    /// too, are on the driver's unfinished-line clock. After login a literal is content (an
    /// APPEND of a big message over a slow link) and is not.
    var hasPartialCommand: Bool {
        reader.hasBufferedBytes && !(reader.isReadingLiteral && isAuthenticated)
    }

    /// Frames until a command is complete (handed over, and framing waits for its answer) or
    /// the bytes run out.
    private mutating func frame() -> [Action] {
        reader.maxLiteralSize = limits.maxLiteralSize.load(ordering: .relaxed)
        reader.maxCommandSize = max(reader.maxCommandSize, reader.maxLiteralSize + 1024 * 1024)
        // LITERAL- before login, LITERAL+ after (AnyState.swift): RFC 7888 §5
        reader.maxNonSynchronizingLiteralSize = isAuthenticated ? Int.max : IMAPDefaults.literalMinusSize
        var actions: [Action] = []
        while !closed, let event = reader.next() {
            switch event {
            case .continuationRequest:
                actions.append(.write(Self.continuation))
            case .literalStart:
                // One streamed literal per command (APPEND); a second one replaces the first,
                // and the command session refuses such a command anyway.
                actions.append(.beginSpool)
            case .literalData(let bytes):
                actions.append(.spool(Array(bytes)))
            case .command(let command):
                return actions + [.run(.command(command))]
            case .literalTooLarge(let tag, _, let synchronizing):
                return actions + [.run(.literalTooLarge(tag: tag, synchronizing: synchronizing))]
            case .lineTooLong(let tag):
                return actions + [.run(.lineTooLong(tag: tag))]
            }
        }
        return actions
    }
}
