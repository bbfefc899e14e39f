import StoreAPI

/// THREAD=ORDEREDSUBJECT (RFC 5256 §3), "poor man's threading": messages sorted by base
/// subject and then sent date are split into one thread per base subject; a thread's first
/// message is its root and every later one a child of the root (no grandchildren); threads are
/// ordered by their first message's sent date. Ties go by mailbox order (UID).
///
/// `(2)(3 6 4)` is not possible here; `(3 (6)(4))` is: 6 and 4 are both children of 3.
public enum OrderedSubjectThreader {
    public static func thread(_ messages: [ThreadableMessage]) -> [ThreadNode] {
        thread(ThreadInput(messages))
    }

    public static func thread(_ input: ThreadInput) -> [ThreadNode] {
        walk(input).nodes
    }

    /// The threads as a walk (`ThreadWalk`), what the store writes its answer from.
    public static func walk(_ input: ThreadInput) -> ThreadWalk {
        // Subject keys ranked in octet order (`UnicodeCasemap.compare`), once per distinct key.
        let (keyOf, keys) = input.subjectKeys()
        let byKey = (0..<Int32(keys.count)).sorted { keys.precedes($0, $1) }
        var rank = [Int32](repeating: 0, count: keys.count)
        for (position, key) in byKey.enumerated() { rank[Int(key)] = Int32(position) }
        let ranked = input.subject.map { rank[Int(keyOf[Int($0)])] }
        let sorted = input.uids.indices.sorted { a, b in
            if ranked[a] != ranked[b] { return ranked[a] < ranked[b] }
            return (input.sent[a], input.uids[a]) < (input.sent[b], input.uids[b])
        }
        // Each thread: its first message (the root) and where its run of `sorted` ends.
        var threads: [(first: Int, start: Int, end: Int)] = []
        var index = sorted.startIndex
        while index < sorted.endIndex {
            var end = index + 1
            while end < sorted.endIndex, ranked[sorted[end]] == ranked[sorted[index]] { end += 1 }
            threads.append((sorted[index], index, end))
            index = end
        }
        threads.sort { (input.sent[$0.first], input.uids[$0.first]) < (input.sent[$1.first], input.uids[$1.first]) }
        var walk = ThreadWalk()
        walk.steps.reserveCapacity(2 * sorted.count)
        for thread in threads {
            walk.open(input.uids[thread.first])
            for child in sorted[(thread.start + 1)..<thread.end] {
                walk.open(input.uids[child])
                walk.close()
            }
            walk.close()
        }
        return walk
    }
}
