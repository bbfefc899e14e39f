/// A span of bytes in the original, unmodified message.
///
/// Every range the parser produces is absolute: it indexes the bytes handed to
/// `MessageParser.parse(_:)`, even for parts of an encapsulated message/rfc822.
/// This is what lets an IMAP server answer `BODY[1.2.MIME]` or `BODY[2.TEXT]`
/// (RFC 3501 §6.4.5) by slicing the stored file without re-parsing it.
///
/// JSON form is the compact pair `[offset, length]`.
public struct ByteRange: Codable, Sendable, Hashable {
    public var offset: Int
    public var length: Int

    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }

    /// The range `start..<end`; an inverted pair gives an empty range at `start`.
    init(from start: Int, to end: Int) {
        self.offset = start
        self.length = max(0, end - start)
    }

    /// One past the last byte.
    public var end: Int { offset + length }

    public var isEmpty: Bool { length == 0 }

    /// The bytes this range covers, clamped to `bytes` so a stale range never traps.
    public func slice(of bytes: [UInt8]) -> ArraySlice<UInt8> {
        let lower = min(max(0, offset), bytes.count)
        let upper = min(max(lower, offset + max(0, length)), bytes.count)
        return bytes[lower..<upper]
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        offset = try container.decode(Int.self)
        length = try container.decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(offset)
        try container.encode(length)
    }
}
