import LineFraming

/// The DATA phase, server side: feed the bytes that follow `354`, get the message
/// with dot-stuffing undone (RFC 5321 §4.5.2), until `CRLF.CRLF` ends it.
///
/// ```
/// C: Subject: hi<CRLF><CRLF>..a line starting with a dot<CRLF>.<CRLF>
/// ```
/// gives `Subject: hi<CRLF><CRLF>.a line starting with a dot<CRLF>`.
///
/// Only CRLF "." CRLF ends the data — never LF "." LF or other mixtures, which is
/// what SMTP smuggling exploits (RFC 5321 §4.1.1.4; CVE-2023-51764/51765/51766).
/// A line starts only after CRLF. What the decoder finds and the gateway decides
/// on is in `findings`: bare LF and bare CR (RFC 5321 §2.3.8), NUL bytes, lines over
/// `maxLineLength`, and a message over `maxMessageSize` — after which it keeps
/// reading to the end marker but stops storing, so the server answers 552 in step.
public struct DataStuffingDecoder: Sendable {
    /// What was seen in the data, for the gateway's policy.
    public struct Findings: Sendable, Hashable {
        /// LF not preceded by CR. RFC 5321 §2.3.8.
        public var bareLineFeeds = 0
        /// CR not followed by LF. RFC 5321 §2.3.8.
        public var bareCarriageReturns = 0
        public var nulBytes = 0
        /// Lines longer than `maxLineLength` (line end excluded).
        public var overLongLines = 0
        /// The message, unstuffed and normalised, exceeded `maxMessageSize`.
        public var sizeExceeded = false
        /// Octets of the message, counted also after `sizeExceeded`.
        public var messageSize = 0

        public init() {}
    }

    /// The result of one `decode` call.
    public struct Output: Sendable, Hashable {
        /// Message bytes decoded from this input, to append to what came before.
        public var message: [UInt8]
        /// The end marker was read: the message is complete.
        public var isComplete: Bool
        /// Bytes after the end marker: the next pipelined command (RFC 2920 §3.1).
        public var leftover: [UInt8]
    }

    private enum State: Sendable {
        case lineStart  // after CRLF (or at the start)
        case lineStartDot  // "." at line start, held back
        case lineStartDotCR  // "." CR at line start, held back
        case inLine
        case sawCR  // CR inside a line, held back
        case done
    }

    public let maxMessageSize: Int
    public let maxLineLength: Int
    /// Write a bare LF as CRLF (our gateway's policy: RFC 5321 §2.3.8 forbids bare
    /// LF on the wire, and storing CRLF keeps IMAP sizes and relaying correct).
    public let normalizeBareLineFeeds: Bool
    public private(set) var findings = Findings()
    private var state = State.lineStart
    private var lineLength = 0

    public init(
        maxMessageSize: Int = SMTPDefaults.messageSize,
        maxLineLength: Int = SMTPDefaults.tolerantTextLineLength,
        normalizeBareLineFeeds: Bool = true
    ) {
        self.maxMessageSize = maxMessageSize
        self.maxLineLength = maxLineLength
        self.normalizeBareLineFeeds = normalizeBareLineFeeds
    }

    public var isComplete: Bool { state == .done }

    /// Decodes the next bytes of the DATA phase.
    public mutating func decode<C: Collection>(_ input: C) -> Output where C.Element == UInt8 {
        let bytes = Array(input)
        guard state != .done else { return Output(message: [], isComplete: true, leftover: bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(min(bytes.count, max(0, maxMessageSize - findings.messageSize)))
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch state {
            case .done:
                break
            case .lineStart:
                if byte == ByteClass.dot {
                    state = .lineStartDot  // RFC 5321 §4.5.2: the leading dot is removed or ends the data
                    i += 1
                } else {
                    state = .inLine
                }
            case .lineStartDot:
                if byte == ByteClass.cr {
                    state = .lineStartDotCR
                    i += 1
                } else {
                    state = .inLine  // the dot is dropped, this byte is content. RFC 5321 §4.5.2
                }
            case .lineStartDotCR:
                if byte == ByteClass.lf {
                    state = .done  // CRLF "." CRLF. RFC 5321 §4.1.1.4
                    i += 1
                    return Output(message: out, isComplete: true, leftover: Array(bytes[i...]))
                }
                bareCR(&out)  // ".<CR>x": dot dropped, the CR was bare
                state = .inLine
            case .sawCR:
                if byte == ByteClass.lf {
                    emit([ByteClass.cr, ByteClass.lf], into: &out)
                    endLine()
                    state = .lineStart
                    i += 1
                } else {
                    bareCR(&out)
                    state = .inLine
                }
            case .inLine:
                // Copy the run of ordinary bytes at once.
                var j = i
                while j < bytes.count, bytes[j] != ByteClass.cr, bytes[j] != ByteClass.lf, bytes[j] != 0 { j += 1 }
                if j > i {
                    emit(bytes[i..<j], into: &out)
                    lineLength += j - i
                    i = j
                    continue
                }
                switch byte {
                case ByteClass.cr:
                    state = .sawCR
                case ByteClass.lf:
                    // Bare LF: content, not a line end for the protocol. RFC 5321 §2.3.8
                    findings.bareLineFeeds += 1
                    emit(normalizeBareLineFeeds ? [ByteClass.cr, ByteClass.lf] : [ByteClass.lf], into: &out)
                    endLine()
                default:
                    findings.nulBytes += 1
                    emit([0], into: &out)
                    lineLength += 1
                }
                i += 1
            }
        }
        return Output(message: out, isComplete: false, leftover: [])
    }

    private mutating func bareCR(_ out: inout [UInt8]) {
        findings.bareCarriageReturns += 1
        emit([ByteClass.cr], into: &out)
        lineLength += 1
    }

    private mutating func endLine() {
        if lineLength > maxLineLength { findings.overLongLines += 1 }
        lineLength = 0
    }

    /// Counts bytes and stores them up to the size limit; beyond it only counts.
    private mutating func emit<C: Collection>(_ bytes: C, into out: inout [UInt8]) where C.Element == UInt8 {
        let room = maxMessageSize - findings.messageSize
        findings.messageSize += bytes.count
        if bytes.count <= room {
            out.append(contentsOf: bytes)
        } else {
            // Store exactly up to the limit, whatever the chunking; then only count. RFC 1870 §6.3
            if !findings.sizeExceeded, room > 0 { out.append(contentsOf: bytes.prefix(room)) }
            findings.sizeExceeded = true
        }
    }
}
