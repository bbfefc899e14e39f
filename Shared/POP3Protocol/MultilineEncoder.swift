import LineFraming

/// The body of a multi-line response (RETR, TOP, LIST, UIDL, CAPA): every line ends
/// in CRLF, a line starting with "." gets a second one, and `.CRLF` ends it. RFC 1939 §3.
///
/// ```
/// S: +OK 120 octets
/// S: Subject: hi
/// S:
/// S: ..hidden
/// S: .
/// ```
/// Message bytes come from the store as they were received, so line ends are made
/// CRLF whatever they were: bare LF and bare CR each become CRLF, CRLF stays one line
/// end — also when the CR ends one chunk and the LF starts the next. A final CRLF is
/// added when the message lacks one. 8-bit bytes and NUL pass unchanged (RFC 1939 §3
/// says nothing against them; the client gets the message as stored).
///
/// Feed chunks with `encode` as they are read and end with `finish()`, so a large
/// message streams in constant memory; or use `encode(message:)` for a whole one.
public struct MultilineEncoder: Sendable {
    private var atLineStart = true
    private var pendingCR = false

    public init() {}

    /// Encodes a whole message, terminator included.
    public static func encode<C: Collection>(message: C) -> [UInt8] where C.Element == UInt8 {
        var encoder = MultilineEncoder()
        return encoder.encode(message) + encoder.finish()
    }

    /// A body of text lines (LIST, UIDL, CAPA, the AUTH mechanism list), terminator
    /// included. CR, LF and NUL inside a line become spaces.
    public static func encode(lines: [String]) -> [UInt8] {
        var encoder = MultilineEncoder()
        var out: [UInt8] = []
        for line in lines { out += encoder.encode(ByteClass.lineSafe(line) + ByteClass.crlf) }
        return out + encoder.finish()
    }

    /// Encodes the next bytes of the message.
    public mutating func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        if let out = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return out }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    /// Copies runs between line ends in one go: 8-bit text streams at memory speed.
    private mutating func encode(buffer: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(buffer.count + buffer.count / 32 + 4)
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            if pendingCR {
                pendingCR = false
                out.append(ByteClass.cr)  // bare CR or the CR of CRLF: one line end either way
                out.append(ByteClass.lf)
                atLineStart = true
                if byte == ByteClass.lf {
                    index += 1
                    continue
                }
            }
            switch byte {
            case ByteClass.cr:
                pendingCR = true
                index += 1
            case ByteClass.lf:
                out.append(ByteClass.cr)  // a bare LF becomes CRLF. RFC 1939 §3
                out.append(ByteClass.lf)
                atLineStart = true
                index += 1
            default:
                if atLineStart, byte == ByteClass.dot { out.append(ByteClass.dot) }  // byte-stuffing. RFC 1939 §3
                atLineStart = false
                var end = index + 1
                while end < buffer.count, buffer[end] != ByteClass.cr, buffer[end] != ByteClass.lf { end += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<end]))
                index = end
            }
        }
        return out
    }

    /// The final CRLF if the message did not end with a line end, and `.CRLF`. The
    /// encoder is then ready for the next body. RFC 1939 §3
    public mutating func finish() -> [UInt8] {
        var out: [UInt8] = []
        if pendingCR || !atLineStart { out += ByteClass.crlf }
        pendingCR = false
        atLineStart = true
        return out + [ByteClass.dot, ByteClass.cr, ByteClass.lf]  // the termination octet. RFC 1939 §3
    }
}
