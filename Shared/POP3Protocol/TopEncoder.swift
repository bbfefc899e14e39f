import LineFraming

/// The body of a TOP response: the message's header, the blank line after it, and
/// then the first `bodyLines` lines of the body, encoded like `MultilineEncoder`.
/// RFC 1939 §7.
///
/// ```
/// C: TOP 1 1
/// S: +OK
/// S: Subject: hi
/// S:
/// S: first body line
/// S: .
/// ```
/// Lines are counted as `MultilineEncoder` ends them (CRLF, bare LF, bare CR), so the
/// count agrees with what RETR would send. Once the last wanted line has ended,
/// `isComplete` turns true and further chunks are ignored: the caller stops reading
/// the message early. A message without a blank line is all header and comes out whole.
public struct TopEncoder: Sendable {
    /// Body lines still wanted after the header.
    private var linesLeft: Int
    private var inHeader = true
    private var atLineStart = true
    private var pendingCR = false
    private var inner = MultilineEncoder()
    /// Whether everything TOP asks for has been encoded; `finish()` still ends the body.
    public private(set) var isComplete = false

    /// An encoder for `TOP msg bodyLines`; a negative count counts as 0.
    public init(bodyLines: Int) {
        linesLeft = max(0, bodyLines)
    }

    /// Encodes a whole message, terminator included.
    public static func encode<C: Collection>(message: C, bodyLines: Int) -> [UInt8] where C.Element == UInt8 {
        var encoder = TopEncoder(bodyLines: bodyLines)
        return encoder.encode(message) + encoder.finish()
    }

    /// Encodes the next bytes of the message, up to where TOP stops.
    public mutating func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        guard !isComplete else { return [] }
        let taken =
            bytes.withContiguousStorageIfAvailable { count(buffer: $0) } ?? Array(bytes).withUnsafeBufferPointer { count(buffer: $0) }
        return inner.encode(bytes.prefix(taken))
    }

    /// Counts lines in `buffer`; returns how many bytes belong to the response.
    private mutating func count(buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            index += 1
            if pendingCR {
                pendingCR = false
                if byte == ByteClass.lf { continue }  // the LF of a CRLF already counted at its CR
            }
            guard byte == ByteClass.cr || byte == ByteClass.lf else {
                atLineStart = false
                while index < buffer.count, buffer[index] != ByteClass.cr, buffer[index] != ByteClass.lf { index += 1 }
                continue
            }
            pendingCR = byte == ByteClass.cr
            lineEnded(empty: atLineStart)
            atLineStart = true
            if isComplete { break }
        }
        return index
    }

    /// The final CRLF if needed and `.CRLF`. RFC 1939 §3
    public mutating func finish() -> [UInt8] {
        isComplete = true
        return inner.finish()
    }

    private mutating func lineEnded(empty: Bool) {
        if inHeader {
            guard empty else { return }
            inHeader = false  // the blank line ends the header and is sent. RFC 1939 §7
            if linesLeft == 0 { isComplete = true }
        } else {
            linesLeft -= 1
            if linesLeft == 0 { isComplete = true }
        }
    }
}
