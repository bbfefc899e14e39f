import Foundation
import FuzzSupport
import IMAPProtocol
import InternetMessage

/// `MessageParser` (RFC 5322, MIME RFC 2045–2049) with default or small, input-chosen limits:
/// every range lies inside the input and inside its parent, nesting and counts stay within
/// the limits, the JSON the store keeps decodes to the same parse, and what the IMAP gateway
/// derives from a parse (bodies decoded, BODYSTRUCTURE, ENVELOPE) is made without a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        let limits =
            choices.flip()
            ? MessageLimits.default
            : MessageLimits(
                maxNestingDepth: choices.next(0...6), maxParts: choices.next(1...30), maxHeaderFields: choices.next(0...20),
                maxHeaderFieldLength: choices.next(0...200))
        let parser = MessageParser(limits: limits)
        let parsed = parser.parse(bytes)
        check(parsed, size: bytes.count, limits: parser.limits)
        if choices.next(0...3) == 0 {  // Foundation's JSON costs more than the parse: one input in four
            let json = (try? JSONEncoder().encode(parsed)) ?? Data()
            let decoded = try? JSONDecoder().decode(ParsedMessage.self, from: json)
            Fuzz.require(decoded == parsed, "the JSON form does not decode to the same parse")
        }
        var parts = [parsed.root]
        while let part = parts.popLast() {
            parts += part.parts + (part.message.map { [$0.root] } ?? [])
            _ = part.decodedText(in: bytes) ?? String(decoding: part.decodedBody(in: bytes), as: UTF8.self)
        }
        _ = (parsed.subject, parsed.date)
        _ = BodyStructureEncoding.encode(parsed.root, extended: true, utf8Enabled: choices.flip())
        _ = EnvelopeEncoding.encode(parsed.envelope, utf8Enabled: choices.flip())
    }
}

/// Ranges in bounds and nested in their parents; nesting and counts within `limits`.
private func check(_ parsed: ParsedMessage, size: Int, limits: MessageLimits) {
    func inBounds(_ range: ByteRange) -> Bool { range.offset >= 0 && range.length >= 0 && range.end <= size }
    var partCount = 0
    var messages = [(parsed, 0)]
    while let (message, depth) = messages.popLast() {
        Fuzz.require(inBounds(message.header) && inBounds(message.body), "message range out of bounds")
        Fuzz.require(message.header.end == message.body.offset, "body does not follow header")
        Fuzz.require(message.fields.count <= limits.maxHeaderFields, "too many fields")
        Fuzz.require(message.fields.allSatisfy { inBounds($0.range) }, "field range out of bounds")
        var parts = [(message.root, depth)]
        while let (part, partDepth) = parts.popLast() {
            partCount += 1
            Fuzz.require(partDepth <= limits.maxNestingDepth, "nested deeper than the limit")
            Fuzz.require(inBounds(part.header) && inBounds(part.body) && part.body.offset >= part.header.offset, "part range")
            for child in part.parts {
                Fuzz.require(child.header.offset >= part.body.offset && child.body.end <= part.body.end, "child outside parent")
                parts.append((child, partDepth + 1))
            }
            if let inner = part.message {
                Fuzz.require(inner.header.offset == part.body.offset && inner.body.end == part.body.end, "message outside part")
                messages.append((inner, partDepth + 1))
            }
        }
    }
    Fuzz.require(partCount <= limits.maxParts, "more parts than the limit")
}
