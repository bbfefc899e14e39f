import LineFraming

/// The DATA phase, client side: dot-stuff a message (RFC 5321 §4.5.2), normalise
/// every line end to CRLF (§2.3.8: bare CR and LF must not be sent), add a final
/// CRLF if missing and append the end marker `.CRLF`.
///
/// ```
/// .hidden<LF>last line
/// ```
/// becomes `..hidden<CRLF>last line<CRLF>.<CRLF>`. Feed chunks with `encode` and
/// end with `finish()`, or use `encode(message:)` for a whole message.
public struct DataStuffingEncoder: Sendable {
    private var atLineStart = true
    private var pendingCR = false
    private var empty = true

    public init() {}

    /// Encodes a whole message, end marker included.
    public static func encode<C: Collection>(message: C) -> [UInt8] where C.Element == UInt8 {
        var encoder = DataStuffingEncoder()
        return encoder.encode(message) + encoder.finish()
    }

    /// Encodes the next bytes of the message.
    public mutating func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 64 + 2)
        for byte in bytes {
            empty = false
            if pendingCR {
                pendingCR = false
                out += [ByteClass.cr, ByteClass.lf]  // bare CR or the CR of CRLF: a line end either way
                atLineStart = true
                if byte == ByteClass.lf { continue }
            }
            switch byte {
            case ByteClass.cr:
                pendingCR = true
            case ByteClass.lf:
                out += [ByteClass.cr, ByteClass.lf]  // bare LF becomes CRLF. RFC 5321 §2.3.8
                atLineStart = true
            default:
                if atLineStart, byte == ByteClass.dot { out.append(ByteClass.dot) }  // RFC 5321 §4.5.2
                out.append(byte)
                atLineStart = false
            }
        }
        return out
    }

    /// The final CRLF if the message did not end with one, and `.CRLF`. RFC 5321 §4.1.1.4
    public mutating func finish() -> [UInt8] {
        var out: [UInt8] = []
        if pendingCR || (!empty && !atLineStart) { out += [ByteClass.cr, ByteClass.lf] }
        pendingCR = false
        atLineStart = true
        empty = true
        return out + [ByteClass.dot, ByteClass.cr, ByteClass.lf]
    }
}
