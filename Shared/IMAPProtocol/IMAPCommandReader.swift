import LineFraming

/// Frames the client's byte stream into complete commands: line pieces and the literals
/// between them (RFC 9051 §4.3), without parsing them. Append bytes as they arrive, take
/// events out until `next()` returns nil.
///
/// ```
/// C: a1 LOGIN {5}
/// S: + Ready                    <- the reader's .continuationRequest, RFC 9051 §7.5
/// C: alice {6+}
/// C: secret
/// ```
/// yields `.continuationRequest`, then one `.command` with lines `["a1 LOGIN {5}", " {6+}",
/// ""]` and literals `["alice", "secret"]`.
///
/// Limits are checked on the header, before any literal octet is read, so the server can
/// answer `NO [TOOBIG]` (RFC 9051 §7.1, RFC 7889) and the client never sends a synchronizing
/// literal it was refused. A refused non-synchronizing literal (`{n+}`, RFC 7888 §4) is still
/// on its way: its octets and the rest of that command are skipped without being kept. A line
/// over `maxLineLength` is dropped as it arrives and reported at its end. After any refusal
/// the reader continues with the next command, so memory stays bounded and the connection
/// usable.
public struct IMAPCommandReader: Sendable {
    public enum Event: Sendable, Hashable {
        /// A complete command.
        case command(IMAPFramedCommand)
        /// A synchronizing literal was announced and accepted: send `+ …` now. RFC 9051 §7.5
        case continuationRequest
        /// A literal over `maxLiteralSize`, or one that would take the command over
        /// `maxCommandSize` or `maxLiterals`; the command is dropped. If `synchronizing`, the
        /// client waits for the answer (`NO [TOOBIG]`, RFC 9051 §7.1); if not, its octets are
        /// being skipped — a server may prefer to answer `BAD` and close (RFC 7888 §4).
        case literalTooLarge(tag: String?, size: Int, synchronizing: Bool)
        /// A line piece over `maxLineLength`; the command is dropped: answer `BAD`.
        case lineTooLong(tag: String?)
        /// A literal over `streamThreshold` begins: its octets follow as `.literalData`
        /// events instead of being kept (an APPEND of a big message is spooled, not held),
        /// and its place in the framed command is empty, its index in `streamedLiterals`.
        case literalStart(size: Int)
        /// The next octets of the literal being streamed.
        case literalData([UInt8])
    }

    /// The longest line piece accepted, CRLF included.
    public var maxLineLength: Int
    /// The most octets of line pieces in one command, CRLF included (its literals not counted).
    public var maxCommandLineOctets: Int
    /// The largest literal accepted.
    public var maxLiteralSize: Int
    /// The largest command accepted, lines and literals together.
    public var maxCommandSize: Int
    /// The most literals in one command.
    public var maxLiterals: Int
    /// Literals larger than this are streamed (`.literalStart`, `.literalData`), not kept.
    public var streamThreshold = Int.max
    /// The largest non-synchronizing literal (`{n+}`) accepted: `IMAPDefaults.literalMinusSize`
    /// where the server advertises LITERAL- rather than LITERAL+. A larger one is refused like
    /// any literal over the limits (`.literalTooLarge`, not synchronizing) and its octets
    /// skipped, so they are never read as commands. RFC 7888 §5, §4
    public var maxNonSynchronizingLiteralSize = Int.max

    private enum Mode: Sendable { case line, literal(Int), skip(Int), stream(Int) }
    /// Indexes of the current command's streamed literals.
    private var streamed: [Int] = []
    /// A streamed literal announced synchronizing: `.literalStart` follows the `+`.
    private var pendingStart: Int?
    private var mode = Mode.line
    private var buffer = LineBuffer()
    private var lines: [[UInt8]] = []
    private var literals: [[UInt8]] = []
    private var commandSize = 0
    /// Octets of the current command's line pieces.
    private var commandLineOctets = 0
    /// The rest of the current command is being dropped (after a refused `{n+}` literal).
    private var droppingCommand = false
    /// The current line piece is over the limit and being dropped.
    private var droppingLine = false
    /// The tag of the line being dropped, and its last bytes (to spot a literal header).
    private var droppedTag: String?
    private var droppedTail: [UInt8] = []

    public init(
        maxLineLength: Int = IMAPDefaults.lineLength,
        maxLiteralSize: Int = IMAPDefaults.literalSize,
        maxCommandSize: Int = IMAPDefaults.commandSize,
        maxLiterals: Int = IMAPDefaults.literalsPerCommand,
        maxCommandLineOctets: Int = IMAPDefaults.commandLineOctets
    ) {
        self.maxLineLength = max(16, maxLineLength)
        self.maxCommandLineOctets = max(self.maxLineLength, maxCommandLineOctets)
        self.maxLiteralSize = maxLiteralSize
        self.maxCommandSize = maxCommandSize
        self.maxLiterals = maxLiterals
    }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(bytes)
    }

    /// The next event, nil when more bytes are needed.
    public mutating func next() -> Event? {
        while true {
            switch mode {
            case .literal(let size):
                guard buffer.count >= size else { return nil }
                literals.append(buffer.take(size))
                mode = .line
            case .stream(let remaining):
                if let size = pendingStart {
                    pendingStart = nil
                    return .literalStart(size: size)
                }
                let count = min(remaining, buffer.count)
                guard count > 0 else { return nil }
                let data = buffer.take(count)
                mode = count == remaining ? .line : .stream(remaining - count)
                return .literalData(data)
            case .skip(let remaining):
                let count = min(remaining, buffer.count)
                buffer.skip(count)
                guard count == remaining else {
                    mode = .skip(remaining - count)
                    return nil
                }
                mode = .line
            case .line:
                if let event = nextLine() { return event }
                if case .line = mode, !buffer.hasUnscannedBytes { return nil }
            }
        }
    }

    /// Reads one line piece; returns an event, or nil to go on (or when more bytes are needed).
    private mutating func nextLine() -> Event? {
        guard let (piece, _) = buffer.takeLine() else {  // a bare LF is tolerated
            if droppingLine || buffer.count > maxLineLength - 1 { dropPartialLine() }
            return nil
        }
        let line = Array(piece)
        if droppingLine || line.count + 2 > maxLineLength {
            if !droppingLine { droppedTag = lines.first.flatMap(IMAPLiteralHeader.tag) ?? IMAPLiteralHeader.tag(of: line) }
            droppedTail = Array((droppedTail + line).suffix(32))
            // The CR may have been dropped with an earlier chunk.
            if droppedTail.last == ByteClass.cr { droppedTail.removeLast() }
            let tag = droppedTag
            let alreadyDropping = droppingCommand
            droppingLine = false
            droppedTag = nil
            resetCommand()
            // A {n+} literal after the dropped line is on its way: skip it. RFC 7888 §4
            if let header = IMAPLiteralHeader.atEnd(of: droppedTail), !header.synchronizing {
                mode = .skip(header.size)
                droppingCommand = true
            }
            droppedTail = []
            return alreadyDropping ? nil : .lineTooLong(tag: tag)
        }
        let header = IMAPLiteralHeader.atEnd(of: line)
        if droppingCommand {
            // Only a non-synchronizing literal continues a dropped command; the client
            // waiting for `+` has had its tagged answer. RFC 9051 §4.3
            if let header, !header.synchronizing { mode = .skip(header.size) } else { droppingCommand = false }
            return nil
        }
        if commandLineOctets + line.count + 2 > maxCommandLineOctets {
            // Too many long lines in one command: dropped like one over-long line.
            let tag = lines.first.flatMap(IMAPLiteralHeader.tag) ?? IMAPLiteralHeader.tag(of: line)
            resetCommand()
            if let header, !header.synchronizing {
                mode = .skip(header.size)
                droppingCommand = true
            }
            return .lineTooLong(tag: tag)
        }
        lines.append(line)
        commandSize += line.count + 2
        commandLineOctets += line.count + 2
        guard let header else {
            var command = IMAPFramedCommand(lines: lines, literals: literals)
            command.streamedLiterals = streamed
            resetCommand()
            return .command(command)
        }
        if header.size > maxLiteralSize || header.size > maxCommandSize - commandSize || literals.count >= maxLiterals
            || (!header.synchronizing && header.size > maxNonSynchronizingLiteralSize)
        {
            let tag = IMAPLiteralHeader.tag(of: lines[0])
            resetCommand()
            if !header.synchronizing {
                mode = .skip(header.size)
                droppingCommand = true
            }
            return .literalTooLarge(tag: tag, size: header.size, synchronizing: header.synchronizing)
        }
        commandSize += header.size
        if header.size > streamThreshold {
            streamed.append(literals.count)
            literals.append([])
            mode = .stream(header.size)
            pendingStart = header.size
            return header.synchronizing ? .continuationRequest : nil
        }
        mode = .literal(header.size)
        return header.synchronizing ? .continuationRequest : nil
    }

    /// Drops the bytes of an over-long line as they arrive, keeping its tag and last bytes.
    private mutating func dropPartialLine() {
        if !droppingLine {
            droppingLine = true
            droppedTag =
                lines.first.flatMap(IMAPLiteralHeader.tag)
                ?? IMAPLiteralHeader.tag(of: Array(buffer.unread.prefix(IMAPDefaults.tagLength + 1)))
        }
        droppedTail = Array((droppedTail + buffer.unread).suffix(32))
        buffer.removeUnread()
    }

    private mutating func resetCommand() {
        lines = []
        literals = []
        streamed = []
        pendingStart = nil
        commandSize = 0
        commandLineOctets = 0
    }

    /// The bytes received but not yet framed, removed from the reader, with any partial
    /// command. After STARTTLS they must be discarded: they arrived before TLS (the command
    /// injection class of bugs, RFC 9051 §11.1, CVE-2011-0411).
    public mutating func takeBuffered() -> [UInt8] {
        let rest = buffer.takeAll()
        let kept = droppingLine ? [] : rest
        mode = .line
        droppingLine = false
        droppingCommand = false
        droppedTail = []
        resetCommand()
        return kept
    }

    /// Whether a literal's octets are being read (kept, streamed or skipped), rather than a line.
    public var isReadingLiteral: Bool {
        if case .line = mode { return false }
        return true
    }

    /// Whether bytes are waiting (a partial command, or a command not yet taken).
    public var hasBufferedBytes: Bool { !buffer.isEmpty || !lines.isEmpty || droppingLine }
}
