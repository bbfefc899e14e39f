import FuzzSupport
import InternetMessage
import MessageSearch
import MessageThreading
import StoreAPI

/// The read model's derivations (issue 12): a message's index entry (decoded texts, HTML
/// reduced, addresses as ENVELOPE reads them), RFC 5256 base subjects and sort keys, and both
/// THREAD algorithms. The input is a message; its lines are also read as pseudo-messages
/// `Message-ID|In-Reply-To|References|Subject|Date` for threading. Every message threaded
/// appears exactly once in the answer (RFC 5256 §2), and SORT answers a permutation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReadModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        let parsed = MessageParser(limits: .default).parse(bytes)
        let entry = MessageIndexEntry(raw: bytes, parse: parsed)
        let base = BaseSubject(entry.firstSubject)
        _ = (SortValue.addressMailbox(entry.firstFrom), SortValue.display(entry.firstTo), UnicodeCasemap.key(base.text))
        _ = MessageIDs.parse(entry.references)

        var threadable: [ThreadableMessage] = []
        var sortable: [SortableMessage] = []
        for (index, line) in Fuzz.lines(bytes).prefix(64).enumerated() {
            let fields = line.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            func field(_ n: Int) -> String? { n < fields.count && !fields[n].isEmpty ? fields[n] : nil }
            let uid = UInt32(index + 1)
            let arrival = Int64(choices.next(0...1_000_000))
            threadable.append(
                ThreadableMessage(
                    uid: uid, internalDate: arrival, messageID: field(0), inReplyTo: field(1), references: field(2),
                    subject: field(3), date: field(4)))
            sortable.append(
                SortableMessage(
                    uid: uid, arrival: arrival, size: UInt64(choices.next(0...100)), date: field(4), from: field(0),
                    to: field(1), cc: field(2), subject: field(3)))
        }
        let uids = threadable.map(\.uid)
        for threads in [ReferencesThreader.thread(threadable), OrderedSubjectThreader.thread(threadable)] {
            var seen: [UInt32] = []
            var nodes = threads
            while let node = nodes.popLast() {
                if let uid = node.uid { seen.append(uid) }
                nodes += node.children
            }
            Fuzz.require(seen.sorted() == uids, "a thread answer does not hold every message exactly once")
        }
        // The ids numbered as the store numbers them at delivery (`MessageIDNumbers`; numbers
        // small, or past the direct range): the same threads as interned text.
        var numbers: [String: Int64] = [:]
        let firstNumber = Int64(choices.next(0...1)) << 40 + 1
        func number(_ id: String) -> Int64 {
            if let known = numbers[id] { return known }
            numbers[id] = firstNumber + Int64(numbers.count)
            return numbers[id]!
        }
        var numbered = ThreadInput(capacity: threadable.count)
        for message in threadable {
            let blob = MessageIDNumbers.encode(
                messageID: message.messageID.map(number), inReplyTo: message.inReplyTo.map(number),
                references: message.references.map(number))
            Fuzz.require(MessageIDNumbers.decode(blob) != nil, "a numbers blob does not decode")
            let subject = numbered.subjects.number(message.baseSubject)
            let appended = blob.withUnsafeBytes {
                numbered.appendNumbered(
                    uid: message.uid, sent: message.sent, isReplyOrForward: message.isReplyOrForward, subject: subject, numbers: $0)
            }
            Fuzz.require(appended, "a numbers blob is not read")
        }
        Fuzz.require(
            ReferencesThreader.walk(numbered) == ReferencesThreader.walk(ThreadInput(threadable)),
            "numbered ids thread differently from their text")
        // Any bytes as a blob: read or refused, never a crash.
        _ = bytes.prefix(32).withUnsafeBytes { numbered.appendNumbered(uid: 0, sent: 0, isReplyOrForward: false, subject: 0, numbers: $0) }
        let criteria = (0..<choices.next(1...3)).map { _ in
            SortKey(
                [SortKey.Criterion.arrival, .cc, .date, .from, .size, .subject, .to, .displayFrom, .displayTo][choices.next(0...8)],
                reverse: choices.flip())
        }
        Fuzz.require(MessageSorter.sort(sortable, by: criteria).sorted() == uids, "SORT is not a permutation")
    }
}
