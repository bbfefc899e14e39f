import StoreAPI

/// THREAD=ORDEREDSUBJECT (RFC 5256 §3), "poor man's threading": messages sorted by base
/// subject and then sent date are split into one thread per base subject; a thread's first
/// message is its root and every later one a child of the root (no grandchildren); threads are
/// ordered by their first message's sent date. Ties go by mailbox order (UID).
///
/// `(2)(3 6 4)` is not possible here; `(3 (6)(4))` is: 6 and 4 are both children of 3.
public enum OrderedSubjectThreader {
    public static func thread(_ messages: [ThreadableMessage]) -> [ThreadNode] {
        let keyed = messages.map { (key: UnicodeCasemap.key($0.baseSubject), message: $0) }
        let sorted = keyed.sorted { a, b in
            let bySubject = UnicodeCasemap.compare(a.key, b.key)
            if bySubject != 0 { return bySubject < 0 }
            return (a.message.sent, a.message.uid) < (b.message.sent, b.message.uid)
        }
        var threads: [(first: ThreadableMessage, node: ThreadNode)] = []
        var index = sorted.startIndex
        while index < sorted.endIndex {
            var end = index + 1
            while end < sorted.endIndex, UnicodeCasemap.compare(sorted[end].key, sorted[index].key) == 0 { end += 1 }
            let first = sorted[index].message
            let children = sorted[(index + 1)..<end].map { ThreadNode(uid: $0.message.uid) }
            threads.append((first, ThreadNode(uid: first.uid, children: children)))
            index = end
        }
        threads.sort { ($0.first.sent, $0.first.uid) < ($1.first.sent, $1.first.uid) }
        return threads.map(\.node)
    }
}
