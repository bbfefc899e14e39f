import LineFraming

/// The client side's response framing: append bytes as they arrive, take status
/// lines and multi-line bodies out. A body streams as `.body` pieces, dot-unstuffed,
/// ending with `.end` (RFC 1939 §3), so a large message never has to fit in memory.
///
/// ```
/// S: +OK 2 messages
/// S: 1 120
/// S: 2 200
/// S: .
/// ```
/// gives `.status(+OK 2 messages)`, `.body("1 120\r\n2 200\r\n")` (maybe in several
/// pieces), `.end`. Whether a `+OK` starts a body depends on the command sent, so
/// `next(expecting:)` is told (`POP3Command.hasMultilineResponse`); `-ERR` and `+ `
/// never start one. Lenient where real servers are sloppy: a bare LF ends a line,
/// and `.LF` ends a body. Body line ends are passed on as received. Strict where
/// sloppiness would be unsafe: a status line over `maxLineLength` or one that is not
/// `+OK`/`-ERR`/`+` is an error, after which the parser refuses everything (the
/// connection should be closed).
public struct POP3ResponseParser: Sendable {
    public enum Error: Swift.Error, Sendable, Hashable {
        /// A status line longer than `maxLineLength`.
        case lineTooLong
        /// A line that is neither `+OK`, `-ERR` nor `+ `.
        case malformedLine
    }

    /// Whether the response to the command in question has a body after `+OK`.
    public enum Expectation: Sendable, Hashable {
        case singleLine
        case multiline
    }

    public enum Event: Sendable, Hashable {
        /// A status line (or SASL continuation).
        case status(POP3Response)
        /// The next piece of a multi-line body, dot-unstuffed, line ends as sent.
        case body([UInt8])
        /// The `.CRLF` that ends the body.
        case end
    }

    /// Where a body is in its current line.
    private enum BodyState {
        case lineStart
        case inLine
        /// A "." began the line: stuffing, or the terminator if a line end follows.
        case dot
        /// ".CR" began the line.
        case dotCR
        /// The terminator was read; `.end` is the next event.
        case ended
    }

    public let maxLineLength: Int
    private var buffer = LineBuffer()
    private var body: BodyState?
    private var failure: Error?

    public init(maxLineLength: Int = POP3Defaults.tolerantResponseLineLength) {
        self.maxLineLength = max(8, maxLineLength)
    }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard failure == nil else { return }
        buffer.append(bytes)
    }

    /// Whether a body is being read (a `.status` was returned, `.end` not yet).
    public var isInBody: Bool { body != nil }

    /// The next event, nil if more bytes are needed; throws on garbage. `expecting`
    /// only matters when the next event is a status line.
    public mutating func next(expecting: Expectation) throws(Error) -> Event? {
        if let failure { throw failure }
        if body != nil { return nextBody() }
        guard let (line, _) = buffer.takeLine() else {
            if buffer.count > maxLineLength { return try fail(.lineTooLong) }
            return nil
        }
        if line.count + 2 > maxLineLength { return try fail(.lineTooLong) }
        guard let response = POP3Response(parsing: line) else { return try fail(.malformedLine) }
        if response.status == .ok, expecting == .multiline { body = .lineStart }  // RFC 1939 §3: only +OK has a body
        return .status(response)
    }

    /// The body bytes buffered so far, unstuffed, or `.end`.
    private mutating func nextBody() -> Event? {
        if body == .ended {
            body = nil
            return .end
        }
        var out: [UInt8] = []
        let bytes = buffer.unread
        var index = bytes.startIndex
        while index < bytes.endIndex, let state = body, state != .ended {
            let byte = bytes[index]
            index += 1
            switch (state, byte) {
            case (.lineStart, ByteClass.dot):
                body = .dot  // dropped: stuffing, or the terminator. RFC 1939 §3
            case (.dot, ByteClass.cr):
                body = .dotCR
            case (.dot, ByteClass.lf), (.dotCR, ByteClass.lf):
                body = .ended  // ".CRLF" (or ".LF") at a line start ends the body. RFC 1939 §3
            case (.dotCR, _):
                out += [ByteClass.cr, byte]  // ".CR" and no LF: the dot was stuffing
                body = .inLine
            default:
                out.append(byte)
                guard byte != ByteClass.lf else {
                    body = .lineStart
                    continue
                }
                body = .inLine
                // The rest of the line cannot end the body: copy it in one go.
                let lineEnd = bytes[index...].firstIndex(of: ByteClass.lf) ?? bytes.endIndex
                out += bytes[index..<lineEnd]
                index = lineEnd
            }
        }
        buffer.removeFirst(upTo: index)
        if out.isEmpty, body == .ended {
            body = nil
            return .end
        }
        return out.isEmpty ? nil : .body(out)
    }

    private mutating func fail(_ error: Error) throws(Error) -> Event? {
        failure = error
        buffer = LineBuffer()
        body = nil
        throw error
    }
}
