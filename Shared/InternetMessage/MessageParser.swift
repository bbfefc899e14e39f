/// Parses an RFC 5322 message and its MIME structure (RFC 2045–2049) in one pass
/// per nesting level, for storage beside the raw message.
///
/// ```swift
/// let parsed = MessageParser().parse(Array(rawMessage))
/// let json = try JSONEncoder().encode(parsed)
/// ```
/// Never throws and never traps: malformed input yields the best structure it
/// can, and everything is bounded by `MessageLimits`. Recursion depth is bounded
/// by `maxNestingDepth`, itself capped at `MessageLimits.nestingCeiling`; work is
/// linear in the size times the nesting depth.
public struct MessageParser: Sendable {
    public let limits: MessageLimits

    public init(limits: MessageLimits = .default) {
        self.limits = limits.clamped
    }

    public func parse(_ bytes: [UInt8]) -> ParsedMessage {
        bytes.withUnsafeBufferPointer { buffer in
            var context = Context(buffer: buffer, limits: limits, headers: HeaderParser(limits: limits))
            return context.parseMessage(range: ByteRange(offset: 0, length: buffer.count), depth: 0)
        }
    }

    /// The state of one `parse` call.
    private struct Context {
        let buffer: UnsafeBufferPointer<UInt8>
        let limits: MessageLimits
        let headers: HeaderParser
        var partCount = 0

        /// An RFC 5322 message: header, envelope and root part. Counts one part.
        mutating func parseMessage(range: ByteRange, depth: Int) -> ParsedMessage {
            let block = headers.parse(buffer, range: range)
            partCount += 1
            let root = parseEntity(block, defaultType: .textPlain, depth: depth)
            return ParsedMessage(
                header: block.header, body: block.body, fields: block.fields,
                envelope: Envelope(fields: block.fields), root: root, size: range.length)
        }

        /// A MIME entity whose header is already split off; the caller has counted it.
        mutating func parseEntity(_ block: HeaderParser.Block, defaultType: ContentType, depth: Int) -> MessagePart {
            var part = MIMEHeader.part(fields: block.fields, header: block.header, body: block.body, defaultType: defaultType)
            part.bodyLineCount = ByteScan.lineCount(in: buffer, range: block.body)
            let canNest = depth < limits.maxNestingDepth && partCount < limits.maxParts

            if part.contentType.isMultipart, canNest, let boundary = part.contentType.boundary, !boundary.isEmpty {
                // RFC 2046 §5.1.5: inside multipart/digest the default type is message/rfc822.
                let childDefault: ContentType = part.contentType.subtype == "digest" ? .messageRFC822 : .textPlain
                let scanner = MultipartScanner(boundary: Array(boundary.utf8))
                let ranges = scanner.split(buffer, body: block.body, maxParts: limits.maxParts - partCount)
                for range in ranges {
                    guard partCount < limits.maxParts else { break }
                    partCount += 1
                    let childBlock = headers.parse(buffer, range: range)
                    part.parts.append(parseEntity(childBlock, defaultType: childDefault, depth: depth + 1))
                }
            } else if part.contentType.isEncapsulatedMessage, canNest,
                ["7bit", "8bit", "binary"].contains(part.contentTransferEncoding)
            {
                // RFC 2046 §5.2.1: message/rfc822 may only be 7bit, 8bit or binary;
                // an encoded one has no byte ranges to offer and stays a leaf.
                part.message = parseMessage(range: block.body, depth: depth + 1)
            }
            return part
        }
    }
}
