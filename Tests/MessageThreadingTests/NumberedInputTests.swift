import StoreAPI
import Testing

@testable import MessageThreading

/// Ids numbered at delivery (`MessageIDNumbers`, read with `ThreadInput.appendNumbered`) give
/// the threads that interning the ids' text gives, numbers small and large (beyond the direct
/// range, through the table).
@Suite struct NumberedInputTests {
    /// `messages` as the store reads them once numbered: one number per distinct id, the
    /// blob decoded per message.
    static func numbered(_ messages: [ThreadableMessage], base: Int64, stride: Int64) -> ThreadInput {
        var numbers: [String: Int64] = [:]
        func number(_ id: String) -> Int64 {
            if let known = numbers[id] { return known }
            let made = base + Int64(numbers.count) * stride
            numbers[id] = made
            return made
        }
        var input = ThreadInput(capacity: messages.count)
        for message in messages {
            let blob = MessageIDNumbers.encode(
                messageID: message.messageID.map(number), inReplyTo: message.inReplyTo.map(number),
                references: message.references.map(number))
            let subject = input.subjects.number(message.baseSubject)
            let appended = blob.withUnsafeBytes { bytes in
                input.appendNumbered(
                    uid: message.uid, sent: message.sent, isReplyOrForward: message.isReplyOrForward, subject: subject,
                    numbers: bytes)
            }
            #expect(appended)
        }
        return input
    }

    @Test(arguments: 0..<60)
    func sameThreads(seed: UInt64) {
        let messages = PreviousThreadersTests.mailbox(seed: seed, count: 5 + Int(seed % 60))
        let want = ReferencesThreader.walk(ThreadInput(messages))
        // Small numbers, numbers past the direct range, and both mixed.
        let edge = Int64(65_536 + 8 * messages.count - 10)  // `NumberedIDs.direct`: 10 below it, the rest past it
        for (base, stride) in [(Int64(1), Int64(1)), (Int64(1) << 40, Int64(3)), (edge, Int64(1))] {
            let input = Self.numbered(messages, base: base, stride: stride)
            #expect(input.ids.count == 0)
            #expect(ReferencesThreader.walk(input) == want, "\(base) \(stride)")
            #expect(
                ReferencesThreader.walk(input.filtered { input.uids[$0] % 2 == 0 })
                    == ReferencesThreader.walk(
                        ThreadInput(messages.filter { $0.uid % 2 == 0 })))
        }
    }

    @Test func blobs() {
        let blob = MessageIDNumbers.encode(messageID: 5, inReplyTo: nil, references: [3, 200])
        #expect(blob == [0x05, 0x00, 0x03, 0xC8, 0x01])
        let read = MessageIDNumbers.decode(blob)
        #expect(read?.messageID == 5 && read?.inReplyTo == 0 && read?.references == [3, 200])
        let big = MessageIDNumbers.decode(MessageIDNumbers.encode(messageID: Int64.max, inReplyTo: 1 << 35, references: []))
        #expect(big?.messageID == Int64.max && big?.inReplyTo == 1 << 35 && big?.references == [])
        // Cut short, or empty: not read.
        #expect(MessageIDNumbers.decode([0x05]) == nil && MessageIDNumbers.decode([0x05, 0x00, 0x80]) == nil)
        var input = ThreadInput()
        for bad: [UInt8] in [[], [0x05], [0x05, 0x00, 0x80], [0x05, 0x00, 0x00]] {
            #expect(!bad.withUnsafeBytes { input.appendNumbered(uid: 1, sent: 0, isReplyOrForward: false, subject: 0, numbers: $0) })
        }
        #expect(input.count == 0 && input.references.isEmpty)
    }
}
