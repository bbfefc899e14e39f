/// The bytes received and not yet taken, for every reader of a line-based stream (the
/// servers' command readers, the clients' reply parsers): append at the back, take lines
/// and counted octets (IMAP literals, RFC 9051 §4.3) from the front.
///
/// Taking only moves an index; the storage is compacted when it is empty or more than half
/// taken, so a long session neither grows without bound nor copies the buffer on every
/// read. The search for a line end resumes where the last one stopped, so a line arriving
/// one byte at a time is scanned once.
public struct LineBuffer: Sendable {
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var start = 0
    /// Where the LF search resumes: bytes before it hold no LF.
    @usableFromInline var scanned = 0

    public init() {}

    /// Adds received bytes.
    @inlinable
    public mutating func append<C: Collection>(_ newBytes: C) where C.Element == UInt8 {
        if start > 0, start == bytes.count {
            bytes.removeAll(keepingCapacity: true)
            start = 0
            scanned = 0
        } else if start > 4096, start * 2 > bytes.count {
            bytes.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        bytes.append(contentsOf: newBytes)
    }

    /// How many bytes are waiting.
    @inlinable public var count: Int { bytes.count - start }
    @inlinable public var isEmpty: Bool { start == bytes.count }
    /// Whether bytes arrived that no line-end search has looked at yet.
    @inlinable public var hasUnscannedBytes: Bool { scanned < bytes.count }
    /// The waiting bytes; their indices are those `removeFirst(upTo:)` takes.
    @inlinable public var unread: ArraySlice<UInt8> { bytes[start...] }

    /// Takes the next line, without its line end; `bareLF` if it ended in LF without CR
    /// (a lone CR before LF is part of the line end, RFC 5234 B.1 CRLF). Nil, taking
    /// nothing, when no LF has arrived.
    @inlinable
    public mutating func takeLine() -> (line: ArraySlice<UInt8>, bareLF: Bool)? {
        guard let lf = bytes[scanned...].firstIndex(of: ByteClass.lf) else {
            scanned = bytes.count
            return nil
        }
        var end = lf
        let bareLF = !(end > start && bytes[end - 1] == ByteClass.cr)
        if !bareLF { end -= 1 }
        let line = bytes[start..<end]
        start = lf + 1
        scanned = start
        return (line, bareLF)
    }

    /// Takes `count` bytes (no more than are waiting).
    @inlinable
    public mutating func take(_ count: Int) -> [UInt8] {
        let taken = Array(bytes[start..<(start + count)])
        skip(count)
        return taken
    }

    /// Drops `count` bytes (no more than are waiting).
    @inlinable
    public mutating func skip(_ count: Int) {
        start += count
        scanned = max(scanned, start)
    }

    /// Drops the waiting bytes up to `index`, an index of `unread`.
    @inlinable
    public mutating func removeFirst(upTo index: Int) { skip(index - start) }

    /// Drops every waiting byte (the start of a line over the limit).
    @inlinable
    public mutating func removeUnread() {
        bytes.removeSubrange(start...)
        scanned = start
    }

    /// Takes every waiting byte and empties the storage.
    public mutating func takeAll() -> [UInt8] {
        let rest = Array(bytes[start...])
        bytes.removeAll(keepingCapacity: true)
        start = 0
        scanned = 0
        return rest
    }
}
