import LineFraming

/// Splits a header block from its body and collects the fields (RFC 5322 §2.2, §3.5).
///
/// Tolerates what real mail contains: bare LF line ends, obsolete whitespace before
/// the colon (RFC 5322 §4.5), 8-bit bytes, lines of any length, and a missing blank
/// line (then everything is header and the body is empty). Lines that are neither
/// a field nor a continuation (an mbox `From ` line, junk) are skipped but stay
/// inside the header range. Runs in one pass, linear in the header size.
struct HeaderParser {
    /// The result: the fields kept, the header (blank line included) and body ranges.
    struct Block {
        var fields: [HeaderField]
        var header: ByteRange
        var body: ByteRange
    }

    let limits: MessageLimits

    /// A field being accumulated while its continuation lines arrive.
    private struct Pending {
        var name: String
        var start: Int
        var end: Int
        var value: [UInt8]
    }

    func parse(_ buffer: UnsafeBufferPointer<UInt8>, range: ByteRange) -> Block {
        let start = max(0, range.offset)
        let end = min(range.end, buffer.count)
        var fields: [HeaderField] = []
        var pending: Pending?
        var position = start

        func flush() {
            guard let field = pending else { return }
            fields.append(
                HeaderField(
                    name: field.name,
                    rawValue: Self.trimmedString(field.value),
                    range: ByteRange(from: field.start, to: field.end)))
            pending = nil
        }

        while position < end {
            let lineFeed = ByteScan.index(of: ByteClass.lf, in: buffer, from: position, to: end)
            let next = lineFeed.map { $0 + 1 } ?? end
            var contentEnd = lineFeed ?? end
            if contentEnd > position && buffer[contentEnd - 1] == ByteClass.cr { contentEnd -= 1 }

            if contentEnd == position {
                // RFC 5322 §2.1: the first empty line ends the header section.
                flush()
                return Block(
                    fields: fields,
                    header: ByteRange(from: start, to: next),
                    body: ByteRange(from: next, to: end))
            }

            if ByteScan.isWSP(buffer[position]) {
                // RFC 5322 §2.2.3: unfolding removes only the line break, keeping the WSP.
                if pending != nil {
                    append(buffer, from: position, to: contentEnd, into: &pending!.value)
                    pending!.end = next
                }
            } else {
                flush()
                if fields.count < limits.maxHeaderFields,
                    let name = fieldName(buffer, from: position, to: contentEnd)
                {
                    var field = Pending(name: name.name, start: position, end: next, value: [])
                    append(buffer, from: name.valueStart, to: contentEnd, into: &field.value)
                    pending = field
                }
            }
            position = next
        }
        flush()
        return Block(
            fields: fields,
            header: ByteRange(from: start, to: end),
            body: ByteRange(from: end, to: end))
    }

    /// `field-name = 1*ftext` (RFC 5322 §3.6.8), allowing `obs-optional`'s WSP
    /// before the colon (RFC 5322 §4.5.8). Nil for a line that is not a field.
    private func fieldName(
        _ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int
    ) -> (name: String, valueStart: Int)? {
        guard let colon = ByteScan.index(of: ByteClass.colon, in: buffer, from: from, to: to)
        else { return nil }
        var nameEnd = colon
        while nameEnd > from && ByteScan.isWSP(buffer[nameEnd - 1]) { nameEnd -= 1 }
        guard nameEnd > from else { return nil }
        for index in from..<nameEnd {
            let byte = buffer[index]
            // ftext is %d33-57 / %d59-126; accept 8-bit too, refuse controls and WSP.
            if byte <= ByteClass.space || byte == 0x7F { return nil }
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[from..<nameEnd]), as: UTF8.self)
        return (name, colon + 1)
    }

    /// Appends `buffer[from..<to]`, stopping at `maxHeaderFieldLength`.
    private func append(
        _ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int, into value: inout [UInt8]
    ) {
        let room = limits.maxHeaderFieldLength - value.count
        guard room > 0, to > from else { return }
        let upper = min(to, from + room)
        value.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[from..<upper]))
    }

    private static func trimmedString(_ bytes: [UInt8]) -> String {
        var lower = 0
        var upper = bytes.count
        while lower < upper, ByteScan.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, ByteScan.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}
