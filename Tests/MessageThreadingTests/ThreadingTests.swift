import MessageThreading
import StoreAPI
import Testing

/// Messages for the threading tests: `m(uid, id, refs, subject, sent)`.
private func m(
    _ uid: UInt32, _ id: String?, refs: String? = nil, inReplyTo: String? = nil, _ subject: String = "s", sent: Int64? = nil
) -> ThreadableMessage {
    ThreadableMessage(
        uid: uid, internalDate: sent ?? Int64(uid) * 100, messageID: id.map { "<\($0)>" }, inReplyTo: inReplyTo,
        references: refs, subject: subject, date: nil)
}

/// A thread list in the notation of RFC 5256 §4 (`(1 2 (3)(4))`), nodes without UID as "()"
/// around their children, to write expectations compactly.
func notation(_ threads: [ThreadNode]) -> String {
    func inner(_ node: ThreadNode) -> String {
        var out = node.uid.map(String.init) ?? ""
        if node.children.count == 1 {
            out += (out.isEmpty ? "" : " ") + inner(node.children[0])
        } else if !node.children.isEmpty {
            out += (out.isEmpty ? "" : " ") + node.children.map { "(" + inner($0) + ")" }.joined()
        }
        return out
    }
    return threads.map { "(" + inner($0) + ")" }.joined()
}

/// RFC 5256 §3 THREAD=ORDEREDSUBJECT.
@Suite struct OrderedSubjectTests {
    @Test func groupsBySubjectOrdersBySentDate() {
        let messages = [
            m(1, "a", "Lunch", sent: 50),
            m(2, "b", "Re: lunch", sent: 10),  // the earliest: the thread's root
            m(3, "c", "Dinner", sent: 30),
            m(4, "d", "[list] LUNCH", sent: 40),
            m(5, "e", "Fwd: dinner", sent: 20),
            m(6, "f", "", sent: 5),
        ]
        // Lunch: 2 (10), 4 (40), 1 (50); Dinner: 5 (20), 3 (30); "" alone.
        #expect(notation(OrderedSubjectThreader.thread(messages)) == "(6)(2 (4)(1))(5 3)")
    }

    @Test func tiesGoByUID() {
        let messages = [m(3, nil, "x", sent: 1), m(1, nil, "x", sent: 1), m(2, nil, "y", sent: 1)]
        #expect(notation(OrderedSubjectThreader.thread(messages)) == "(1 3)(2)")
    }
}

/// RFC 5256 §3 THREAD=REFERENCES, each step.
@Suite struct ReferencesTests {
    private func thread(_ messages: [ThreadableMessage]) -> String {
        notation(ReferencesThreader.thread(messages))
    }

    @Test func chainFromReferences() {
        let messages = [
            m(1, "a@x", "Plan"),
            m(2, "b@x", refs: "<a@x>", "Re: Plan"),
            m(3, "c@x", refs: "<a@x> <b@x>", "Re: Plan"),
            m(4, "d@x", refs: "<a@x>", "Re: Plan"),
        ]
        #expect(thread(messages) == "(1 (2 3)(4))")
    }

    /// Step 1: no References: the first In-Reply-To id is the only reference.
    @Test func inReplyToWhenNoReferences() {
        let messages = [
            m(1, "a@x", "One"),
            m(2, "b@x", inReplyTo: "<a@x> <zz@x>", "Other subject"),
        ]
        #expect(thread(messages) == "(1 2)")
    }

    /// Steps 1 and 3: a missing parent with one reply: the dummy goes, its child takes its place.
    @Test func missingParentWithOneChild() {
        let messages = [m(1, "b@x", refs: "<missing@x>", "Re: Topic"), m(2, "c@x", "Other")]
        #expect(thread(messages) == "(1)(2)")
    }

    /// Step 3: several replies to a missing message stay together under a dummy at the top.
    @Test func missingParentWithSeveralChildren() {
        let messages = [
            m(1, "b@x", refs: "<missing@x>", "Re: Topic", sent: 20),
            m(2, "c@x", refs: "<missing@x>", "Re: Topic", sent: 10),
            m(3, "d@x", "Other", sent: 15),
        ]
        #expect(thread(messages) == "((2)(1))(3)")
    }

    /// Step 3: a dummy below the top level gives its children to its own parent.
    @Test func dummyInsideThreadIsSpliced() {
        let messages = [
            m(1, "a@x", "Topic"),
            m(2, "c@x", refs: "<a@x> <missing@x>", "Re: Topic"),
            m(3, "d@x", refs: "<a@x> <missing@x>", "Re: Topic"),
        ]
        #expect(thread(messages) == "(1 (2)(3))")
    }

    /// Step 1.A: a loop in References is not linked.
    @Test func loopsAreNotLinked() {
        let messages = [
            m(1, "a@x", refs: "<b@x>", "s1"),
            m(2, "b@x", refs: "<a@x>", "s2"),  // would make a its own ancestor
            m(3, "c@x", refs: "<c@x>", "s3"),  // itself
            m(4, "d@x", refs: "<e@x> <d@x> <e@x>", "s4"),
        ]
        let result = ReferencesThreader.thread(messages)
        #expect(Set(uids(result)) == [1, 2, 3, 4])
        #expect(notation(result) == "(1 2)(3)(4)" || notation(result) == "(2 1)(3)(4)")
    }

    /// Step 1.A: a duplicated Message-ID belongs to the first message; the second gets one of
    /// its own. A message without a Message-ID is threaded by its references.
    @Test func duplicateAndMissingMessageIDs() {
        let messages = [
            m(1, "a@x", "One"),
            m(2, "a@x", "Two"),
            m(3, "b@x", refs: "<a@x>", "Re: One"),
            m(4, nil, refs: "<a@x> <b@x>", "Re: One"),
            m(5, nil, "Three"),
        ]
        #expect(thread(messages) == "(1 3 4)(2)(5)")
    }

    /// Step 1.B: the last reference is the parent even if a truncated References said otherwise.
    @Test func truncatedReferencesAreCorrected() {
        let messages = [
            m(1, "a@x", "T"),
            m(2, "b@x", refs: "<a@x>", "Re: T"),
            m(3, "c@x", refs: "<b@x>", "Re: T"),  // truncated: says only b
            m(4, "d@x", refs: "<a@x> <c@x>", "Re: T"),  // a → c: c already has b as parent, kept
        ]
        #expect(thread(messages) == "(1 2 3 4)")
    }

    /// Step 5: threads with the same base subject are gathered: a reply under the original.
    @Test func subjectMergeReplyUnderOriginal() {
        let messages = [
            m(1, "a@x", "Lunch", sent: 10),
            m(2, "b@x", "Re: Lunch", sent: 20),  // no references, but the subject says reply
            m(3, "c@x", "Dinner", sent: 30),
        ]
        #expect(thread(messages) == "(1 2)(3)")
    }

    /// Step 5: two originals with one subject go under a new dummy.
    @Test func subjectMergeTwoOriginalsUnderDummy() {
        let messages = [
            m(1, "a@x", "Lunch", sent: 10),
            m(2, "b@x", "lunch", sent: 20),
            m(3, "c@x", "Re: Lunch", sent: 30),
        ]
        // 1 and 2 under a dummy; the reply 3 joins the dummy (the table now holds the dummy).
        #expect(thread(messages) == "((1)(2)(3))")
    }

    /// Step 5: a dummy holding replies to a missing message takes same-subject threads in.
    @Test func subjectMergeIntoDummy() {
        let messages = [
            m(1, "b@x", refs: "<missing@x>", "Re: Topic", sent: 20),
            m(2, "c@x", refs: "<missing@x>", "Re: Topic", sent: 30),
            m(3, "d@x", "Topic", sent: 40),
            m(4, "e@x", "Re: Topic", sent: 10),
        ]
        #expect(thread(messages) == "((4)(1)(2)(3))")
    }

    /// Step 5: an empty base subject is never merged.
    @Test func emptySubjectsStayApart() {
        let messages = [m(1, "a@x", "", sent: 10), m(2, "b@x", "Re:", sent: 20)]
        #expect(thread(messages) == "(1)(2)")
    }

    /// Steps 4 and 6: siblings by sent date, ties by UID; threads by their first message.
    @Test func siblingsOrderedByDate() {
        let messages = [
            m(1, "a@x", "Root", sent: 100),
            m(2, "b@x", refs: "<a@x>", "Re: Root", sent: 300),
            m(3, "c@x", refs: "<a@x>", "Re: Root", sent: 200),
            m(4, "d@x", refs: "<a@x>", "Re: Root", sent: 200),
            m(5, "e@x", "Early", sent: 50),
        ]
        #expect(thread(messages) == "(5)(1 (3)(4)(2))")
    }

    @Test func emptyInput() {
        #expect(ReferencesThreader.thread([]).isEmpty)
        #expect(OrderedSubjectThreader.thread([]).isEmpty)
    }

    /// Every message appears exactly once, whatever the references (random, with loops).
    @Test(arguments: 0..<20)
    func everyMessageOnce(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let count = 40
        var messages: [ThreadableMessage] = []
        for uid in 1...count {
            let refs = (0..<Int(rng.next() % 4)).map { _ in "<\(rng.next() % 50)@x>" }.joined(separator: " ")
            let id = rng.next() % 5 == 0 ? nil : "\(rng.next() % 45)@x"
            let subject = ["A", "Re: A", "B", "Fwd: B", "", "C"][Int(rng.next() % 6)]
            messages.append(m(UInt32(uid), id, refs: refs, subject, sent: Int64(rng.next() % 10)))
        }
        #expect(uids(ReferencesThreader.thread(messages)).sorted() == Array(1...UInt32(count)))
        #expect(uids(OrderedSubjectThreader.thread(messages)).sorted() == Array(1...UInt32(count)))
    }
}

private func uids(_ nodes: [ThreadNode]) -> [UInt32] {
    nodes.flatMap { node in (node.uid.map { [$0] } ?? []) + uids(node.children) }
}

private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
