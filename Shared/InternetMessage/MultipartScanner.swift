import LineFraming

/// Finds the body parts of a multipart entity (RFC 2046 §5.1.1).
///
/// ```
/// multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF
///                   body-part *encapsulation close-delimiter transport-padding [CRLF epilogue]
/// delimiter      := CRLF dash-boundary
/// ```
/// The line break before a delimiter belongs to the delimiter, not to the part
/// before it. A delimiter line is `--boundary`, optionally `--`, then only
/// whitespace (transport padding); lines merely starting with the boundary are
/// content, which keeps a child's longer boundary from matching. Preamble and
/// epilogue are skipped; a missing close delimiter lets the last part run to
/// the end. One pass over the body, hopping line to line with memchr.
struct MultipartScanner {
    let boundary: [UInt8]

    /// The ranges of the body parts in `body`, at most `maxParts`; when more
    /// exist, the last range kept runs to the end of `body` (an opaque rest).
    func split(_ buffer: UnsafeBufferPointer<UInt8>, body: ByteRange, maxParts: Int) -> [ByteRange] {
        guard maxParts > 0, !boundary.isEmpty else { return [] }
        let start = max(0, body.offset)
        let end = min(body.end, buffer.count)
        var parts: [ByteRange] = []
        var partStart: Int?
        var lineStart = start
        while lineStart < end {
            let lineFeed = ByteScan.index(of: ByteClass.lf, in: buffer, from: lineStart, to: end)
            let lineEnd = lineFeed ?? end
            let next = lineFeed.map { $0 + 1 } ?? end
            if let isClose = delimiter(buffer, from: lineStart, to: lineEnd) {
                if let open = partStart {
                    // RFC 2046 §5.1.1: the CRLF preceding the boundary is part of the delimiter.
                    var partEnd = lineStart
                    if partEnd > start {
                        partEnd -= 1
                        if partEnd > start && buffer[partEnd - 1] == ByteClass.cr { partEnd -= 1 }
                    }
                    parts.append(ByteRange(from: open, to: max(open, partEnd)))
                }
                if isClose { return parts }
                if parts.count == maxParts - 1 {
                    parts.append(ByteRange(from: next, to: end))
                    return parts
                }
                partStart = next
            }
            lineStart = next
        }
        if let open = partStart { parts.append(ByteRange(from: open, to: end)) }
        return parts
    }

    /// Whether `buffer[from..<to]` (one line, without its LF) is a delimiter:
    /// nil if not, else whether it is the close delimiter.
    private func delimiter(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool? {
        let count = boundary.count
        guard to - from >= count + 2, buffer[from] == ByteClass.hyphen, buffer[from + 1] == ByteClass.hyphen
        else { return nil }
        for offset in 0..<count where buffer[from + 2 + offset] != boundary[offset] { return nil }
        var position = from + 2 + count
        var isClose = false
        if position + 1 < to, buffer[position] == ByteClass.hyphen, buffer[position + 1] == ByteClass.hyphen {
            isClose = true
            position += 2
        }
        // RFC 2046 §5.1.1 transport-padding: linear whitespace up to the line break.
        while position < to {
            let byte = buffer[position]
            guard byte == ByteClass.space || byte == ByteClass.tab || byte == ByteClass.cr else { return nil }
            position += 1
        }
        return isClose
    }
}
