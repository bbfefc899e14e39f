import LineFraming

/// The client side's reply framing: append bytes as they arrive, take complete
/// replies out. Multi-line replies (RFC 5321 §4.2.1) come out as one `SMTPReply`.
///
/// ```
/// S: 250-mx.example.org
/// S: 250 2.0.0 OK
/// ```
/// Lenient where real servers are sloppy: a bare LF ends a line, `250` alone and
/// `250-` with empty text are accepted. Strict where sloppiness would be unsafe: a
/// line over `maxLineLength`, a line that does not start with a 2xx–5xx code, a
/// continuation with a different code, or more than `maxLines` lines is an error,
/// after which the parser refuses everything (the connection should be closed).
public struct SMTPReplyParser: Sendable {
    public enum Error: Swift.Error, Sendable, Hashable {
        /// A line longer than `maxLineLength` (RFC 5321 §4.5.3.1.5 says 512).
        case lineTooLong
        /// A line that is not `code [SP / "-"] text`.
        case malformedLine
        /// A continuation line whose code differs from the first line's. RFC 5321 §4.2.1.
        case inconsistentCode
        /// More than `maxLines` lines without the final one.
        case tooManyLines
    }

    public let maxLineLength: Int
    public let maxLines: Int
    private var buffer = LineBuffer()
    private var pendingCode: Int?
    private var pendingLines: [[UInt8]] = []
    private var failure: Error?

    public init(
        maxLineLength: Int = SMTPDefaults.tolerantReplyLineLength, maxLines: Int = SMTPDefaults.maxReplyLines
    ) {
        self.maxLineLength = max(6, maxLineLength)
        self.maxLines = max(1, maxLines)
    }

    /// Adds received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard failure == nil else { return }
        buffer.append(bytes)
    }

    /// Whether a partial reply is buffered (data arrived that is not yet a reply).
    public var hasPartialReply: Bool { !buffer.isEmpty || pendingCode != nil }

    /// The next complete reply, nil if more bytes are needed; throws on garbage.
    public mutating func next() throws(Error) -> SMTPReply? {
        if let failure { throw failure }
        while true {
            guard let (line, _) = buffer.takeLine() else {
                if buffer.count > maxLineLength { return try fail(.lineTooLong) }
                return nil
            }
            if line.count + 2 > maxLineLength { return try fail(.lineTooLong) }
            // Reply-code = %x32-35 %x30-35 %x30-39. RFC 5321 §4.2
            guard line.count >= 3, let code = ByteClass.decimal(line.prefix(3)), (200...599).contains(code) else {
                return try fail(.malformedLine)
            }
            let separator = line.count > 3 ? line[line.startIndex + 3] : ByteClass.space
            guard separator == ByteClass.space || separator == ByteClass.hyphen else { return try fail(.malformedLine) }
            if let pendingCode, pendingCode != code { return try fail(.inconsistentCode) }  // RFC 5321 §4.2.1
            pendingCode = code
            pendingLines.append(Array(line.dropFirst(4)))
            if separator == ByteClass.hyphen {
                if pendingLines.count >= maxLines { return try fail(.tooManyLines) }
                continue
            }
            let reply = Self.makeReply(code: code, lines: pendingLines)
            pendingCode = nil
            pendingLines = []
            return reply
        }
    }

    private mutating func fail(_ error: Error) throws(Error) -> SMTPReply? {
        failure = error
        buffer = LineBuffer()
        throw error
    }

    /// Splits off the enhanced code when every line carries the same one whose
    /// class matches the reply code (RFC 2034 §3; RFC 3463 §2).
    static func makeReply(code: Int, lines: [[UInt8]]) -> SMTPReply {
        func split(_ line: [UInt8]) -> (EnhancedStatusCode, [UInt8])? {
            let token = line.prefix { $0 != ByteClass.space }
            guard let status = EnhancedStatusCode(parsing: token), status.statusClass == code / 100 else { return nil }
            return (status, Array(line.dropFirst(token.count + 1)))
        }
        let text = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self) }
        if let (first, _) = split(lines[0]) {
            let stripped = lines.compactMap(split)
            if stripped.count == lines.count, stripped.allSatisfy({ $0.0 == first }) {
                return SMTPReply(code: code, enhancedCode: first, lines: stripped.map { text($0.1) })
            }
        }
        return SMTPReply(code: code, enhancedCode: nil, lines: lines.map(text))
    }
}
