/// Frames a command stream into lines, for the line-based protocols (SMTP's command phase,
/// POP3): append bytes as they arrive, take lines out one at a time, so a session can stop at
/// a phase change (DATA, BDAT, STARTTLS, STLS) and take the rest of the buffer
/// (`takeBuffered()`) for the next phase, or discard it.
///
/// ```
/// C: EHLO client.example.org<CRLF>MAIL FROM:<a@example.org><CRLF>
/// ```
/// yields two `.line` events. A line over `maxLineLength` (CRLF included: RFC 5321
/// §4.5.3.1.4 for SMTP, RFC 2449 §4 for POP3) yields one `.tooLong` at its line end and its
/// bytes are dropped as they arrive, so memory stays bounded and the connection stays usable.
/// The limit may be raised between lines (a SASL exchange, RFC 4954 §4, RFC 5034 §4). A bare
/// LF ends a line too — commands are short and unambiguous, so this leniency is safe (unlike
/// in SMTP DATA, RFC 5321 §2.3.8) — and is reported so the session can log it.
public struct CRLFLineReader: Sendable {
    public enum Event: Sendable, Hashable {
        /// A line without its line end; `bareLF` if it ended in LF without CR.
        case line([UInt8], bareLF: Bool)
        /// A line that exceeded the limit ended here; its bytes were discarded.
        case tooLong
    }

    /// The longest line accepted, CRLF included. May be changed between lines.
    public var maxLineLength: Int {
        didSet { maxLineLength = max(3, maxLineLength) }
    }
    private var buffer = LineBuffer()
    /// Whether the current line is over the limit and being discarded.
    private var discarding = false

    public init(maxLineLength: Int) {
        self.maxLineLength = max(3, maxLineLength)
    }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(bytes)
    }

    /// The next event, nil when more bytes are needed.
    public mutating func next() -> Event? {
        guard let (line, bareLF) = buffer.takeLine() else {
            // Content plus a possible CR already exceeds the limit: drop it now.
            if buffer.count > maxLineLength - 1 {
                discarding = true
                buffer.removeUnread()
            }
            return nil
        }
        if discarding || line.count + 2 > maxLineLength {  // the limit counts CRLF
            discarding = false
            return .tooLong
        }
        return .line(Array(line), bareLF: bareLF)
    }

    /// The bytes received but not yet returned as lines, removed from the reader.
    /// After STLS they must be discarded: they arrived before TLS (the command
    /// injection class of bugs, RFC 2595 §4 and CVE-2011-0411 in SMTP).
    public mutating func takeBuffered() -> [UInt8] {
        let rest = buffer.takeAll()
        defer { discarding = false }
        return discarding ? [] : rest
    }

    /// Whether bytes are waiting (a partial line, or a line not yet taken).
    public var hasBufferedBytes: Bool { !buffer.isEmpty || discarding }
}
