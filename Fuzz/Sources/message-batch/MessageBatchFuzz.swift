import FuzzSupport
import StoreAPI

/// `application/x-buzon-messages` (`MessageBatchFrames`), the store's batch answer that the
/// gateways cut messages out of: any input is decoded or refused without a trap, and frames
/// made from input-chosen summaries, parses and bytes decode to exactly what was framed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMessageBatch(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        if let items = MessageBatchFrames.decode(bytes) {
            Fuzz.require(items.allSatisfy { $0.parse.count + $0.bytes.count <= bytes.count }, "a frame longer than the input")
        }
        var choices = Choices(bytes)
        let flags = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "$Forwarded", "$Junk", "x"]
        var items: [MessageBatchItem] = []
        var framed: [UInt8] = []
        var rest = bytes[...]
        for uid in 1...UInt32(choices.next(1...4)) {
            let parse = Array(rest.prefix(choices.next(0...32)))
            rest = rest.dropFirst(parse.count)
            let body = Array(rest.prefix(choices.next(0...64)))
            rest = rest.dropFirst(body.count)
            let summary = MessageSummary(
                uid: uid, size: body.count, flags: flags.filter { _ in choices.flip() },
                internalDate: Double(choices.next(0...2_000_000_000)) / Double(choices.next(1...1000)),
                modSeq: UInt64(choices.next(1...Int(Int32.max))), contentID: Int64(choices.next(1...Int(Int32.max))))
            items.append(MessageBatchItem(summary: summary, parse: parse, bytes: body))
            framed += MessageBatchFrames.line(summary, parseLength: parse.count, bytesLength: body.count) + parse + body
        }
        Fuzz.require(MessageBatchFrames.decode(framed) == items, "framed messages do not decode to themselves")
        Fuzz.require(MessageBatchFrames.decode(Array(framed.dropLast())) == nil, "a short answer is not refused")
    }
}
