import Foundation
import InternetMessage
import TestSupport
import Testing

/// Loads a message from the Corpus folder.
func corpus(_ name: String) throws -> [UInt8] {
    let folder = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil))
    return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
}

/// Every corpus file name.
func corpusNames() -> [String] {
    guard let folder = Bundle.module.url(forResource: "Corpus", withExtension: nil),
        let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return names.filter { $0.hasSuffix(".eml") }.sorted()
}

extension Array where Element == UInt8 {
    /// The bytes of `range` as (lossy) UTF-8 text.
    func text(_ range: ByteRange) -> String {
        String(decoding: range.slice(of: self), as: UTF8.self)
    }
}

/// What must hold for any parse of any input.
struct ParseInvariants {
    var maxDepthSeen = 0
    var partCount = 0

    /// Checks every range lies within `size`, nesting and counts stay within
    /// `limits`; iterative so it survives any tree.
    static func check(_ parsed: ParsedMessage, size: Int, limits: MessageLimits = .default) {
        var invariants = ParseInvariants()
        func inBounds(_ range: ByteRange) -> Bool {
            range.offset >= 0 && range.length >= 0 && range.offset + range.length <= size
        }
        var messages: [(ParsedMessage, Int)] = [(parsed, 0)]
        while let (message, depth) = messages.popLast() {
            #expect(inBounds(message.header) && inBounds(message.body))
            #expect(message.header.end == message.body.offset)
            #expect(message.fields.count <= limits.maxHeaderFields)
            for field in message.fields {
                #expect(inBounds(field.range))
                #expect(field.rawValue.utf8.count <= limits.maxHeaderFieldLength + 3 * field.rawValue.count)
            }
            var parts: [(MessagePart, Int)] = [(message.root, depth)]
            while let (part, partDepth) = parts.popLast() {
                invariants.partCount += 1
                invariants.maxDepthSeen = max(invariants.maxDepthSeen, partDepth)
                #expect(inBounds(part.header) && inBounds(part.body))
                #expect(part.body.offset >= part.header.offset)
                for child in part.parts {
                    #expect(child.header.offset >= part.body.offset && child.body.end <= part.body.end)
                    parts.append((child, partDepth + 1))
                }
                if let inner = part.message {
                    #expect(inner.header.offset == part.body.offset && inner.body.end == part.body.end)
                    messages.append((inner, partDepth + 1))
                }
            }
        }
        #expect(invariants.partCount <= limits.maxParts)
        #expect(invariants.maxDepthSeen <= limits.maxNestingDepth)
    }
}
