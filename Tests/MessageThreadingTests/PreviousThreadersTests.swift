import StoreAPI
import Testing

@testable import MessageThreading

/// THREAD on numbers (`ThreadInput`: interned ids and subject keys, integer containers) gives
/// exactly the threads the String-keyed threaders gave (`PreviousThreaders.swift`), RFC 5256
/// §3's REFERENCES steps 1–6 and ORDEREDSUBJECT, over random mailboxes: reference chains with
/// loops, duplicate and missing Message-IDs, In-Reply-To alone, missing parents, subjects that
/// merge (case, Unicode keys, empty), equal dates, UIDs out of order.
@Suite struct PreviousThreadersTests {
    static let subjects = [
        "Lunch", "Re: lunch", "LUNCH", "Fwd: Lunch", "", "Re:", "Café", "CAFE\u{301}", "ǆ", "Ǆ", "Straße", "STRASSE",
        "[list] Plans", "Plans", "re: plans (fwd)", "Budget",
    ]

    static func mailbox(seed: UInt64, count: Int) -> [ThreadableMessage] {
        var rng = Mix(seed)
        var messages: [ThreadableMessage] = []
        var uids = Array(1...UInt32(count * 2)).shuffled(using: &rng).prefix(count)
        if rng.next() % 2 == 0 { uids.sort() }
        for uid in uids {
            func id() -> String { "m\(rng.next() % UInt64(count + count / 3))@x" }
            let references = (0..<Int(rng.next() % 5)).map { _ in id() }
            let subject = subjects[Int(rng.next() % UInt64(subjects.count))]
            let base = BaseSubject(subject)
            messages.append(
                ThreadableMessage(
                    uid: uid, messageID: rng.next() % 7 == 0 ? nil : id(), inReplyTo: rng.next() % 3 == 0 ? id() : nil,
                    references: references, baseSubject: base.text, isReplyOrForward: base.isReplyOrForward,
                    sent: Int64(rng.next() % 12)))
        }
        return messages
    }

    @Test(arguments: 0..<200)
    func sameThreads(seed: UInt64) {
        let messages = Self.mailbox(seed: seed, count: 5 + Int(seed % 60))
        #expect(ReferencesThreader.thread(messages) == PreviousReferencesThreader.thread(messages))
        #expect(OrderedSubjectThreader.thread(messages) == PreviousOrderedSubjectThreader.thread(messages))
    }

    /// The same input read as the store reads it (ids and subjects interned from bytes) and
    /// filtered by UID, as THREAD with a search does.
    @Test func filteredInput() {
        let messages = Self.mailbox(seed: 77, count: 80)
        let input = ThreadInput(messages)
        let kept = input.filtered { input.uids[$0] % 3 != 0 }
        let wanted = messages.filter { $0.uid % 3 != 0 }
        #expect(ReferencesThreader.thread(kept) == PreviousReferencesThreader.thread(wanted))
        #expect(OrderedSubjectThreader.thread(kept) == PreviousOrderedSubjectThreader.thread(wanted))
    }

    /// Interned numbers: equal bytes, equal numbers, through the table's growth.
    @Test func interner() {
        var table = ByteInterner(capacity: 2)
        let words = (0..<5000).map { "id-\($0 % 3100)@example.test" } + [""]
        let numbers = words.map { table.number($0) }
        #expect(table.count == 3101)
        for (word, number) in zip(words, numbers) {
            #expect(table.string(number) == word)
            #expect(table.number(word) == number)
        }
        let (a, b, ab, empty) = (table.number("a"), table.number("b"), table.number("ab"), table.number(""))
        #expect(table.precedes(a, b) && table.precedes(empty, a) && table.precedes(a, ab))
        #expect(!table.precedes(ab, a) && !table.precedes(a, a) && !table.precedes(b, ab))
    }
}

private struct Mix: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
