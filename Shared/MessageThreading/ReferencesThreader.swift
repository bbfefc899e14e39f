import StoreAPI

/// THREAD=REFERENCES (RFC 5256 §3, after Jamie Zawinski's algorithm): threads from Message-ID,
/// In-Reply-To and References, then threads of the same base subject gathered together.
///
/// ```
/// 1 <a>            2 <b> refs <a>      3 <c> refs <a> <b>      4 <d> refs <x> (missing)
/// -> (1 2 3)(4)
/// ```
/// Messages that reply to the same missing message stay together under a dummy (a node without
/// UID) only at the top level, and only when there are several of them (step 3).
public enum ReferencesThreader {
    public static func thread(_ messages: [ThreadableMessage]) -> [ThreadNode] {
        thread(ThreadInput(messages))
    }

    public static func thread(_ input: ThreadInput) -> [ThreadNode] {
        walk(input).nodes
    }

    /// The threads as a walk (`ThreadWalk`), what the store writes its answer from.
    public static func walk(_ input: ThreadInput) -> ThreadWalk {
        var forest = Forest(input)
        // Mailbox order decides which message keeps a duplicated Message-ID (step 1.A).
        let inOrder = zip(input.uids, input.uids.dropFirst()).allSatisfy { $0 < $1 }
        for message in inOrder ? Array(input.uids.indices) : input.uids.indices.sorted(by: { input.uids[$0] < input.uids[$1] }) {
            forest.link(message)
        }
        var roots = forest.roots()  // (2)
        roots = forest.prune(roots, atRoot: true)  // (3)
        for root in roots where forest.isDummy(root) {  // (4)
            forest.setChildren(root, forest.sortedByDate(forest.children(root)))
        }
        roots = forest.sortedByDate(roots)
        roots = forest.mergeBySubject(roots)  // (5)
        roots = forest.sortAll(roots)  // (6)
        var walk = ThreadWalk()
        walk.steps.reserveCapacity(2 * forest.message.count)
        for root in roots { forest.emit(root, into: &walk) }
        return walk
    }
}

/// Containers (a message or a dummy) by number, linked to parent and children; -1 is none.
/// Children are a doubly linked list (first and last child, previous and next sibling), not
/// an array per container: 100,000 small arrays cost more than the threading.
private struct Forest {
    let input: ThreadInput
    /// Each message's subject key (a number of `ThreadInput.subjectKeys`), -1 for the empty
    /// key, which is never merged (step 5.A).
    let keyOf: [Int32]
    /// The message a container holds, -1 for a dummy.
    var message: [Int32] = []
    var parent: [Int32] = []
    var firstChild: [Int32] = []
    var lastChild: [Int32] = []
    var nextSibling: [Int32] = []
    var previousSibling: [Int32] = []
    /// The container of each message id (`ThreadInput.ids`), -1 while it has none.
    var byID: [Int32]
    /// The number of distinct subject keys (step 5's table).
    let keyCount: Int

    init(_ input: ThreadInput) {
        self.input = input
        let (subjectKey, keys) = input.subjectKeys()
        keyOf = input.subject.map { subject in
            let key = subjectKey[Int(subject)]
            return keys.length(key) == 0 ? -1 : key
        }
        keyCount = keys.count
        byID = Array(repeating: -1, count: input.idCount)
        let room = input.count + input.count / 2
        message.reserveCapacity(room)
        parent.reserveCapacity(room)
        firstChild.reserveCapacity(room)
        lastChild.reserveCapacity(room)
        nextSibling.reserveCapacity(room)
        previousSibling.reserveCapacity(room)
    }

    mutating func make(_ message: Int32) -> Int32 {
        self.message.append(message)
        parent.append(-1)
        firstChild.append(-1)
        lastChild.append(-1)
        nextSibling.append(-1)
        previousSibling.append(-1)
        return Int32(self.message.count - 1)
    }

    func hasChildren(_ container: Int32) -> Bool { firstChild[Int(container)] >= 0 }

    /// A container's children in order.
    func children(_ container: Int32) -> [Int32] {
        var out: [Int32] = []
        var child = firstChild[Int(container)]
        while child >= 0 {
            out.append(child)
            child = nextSibling[Int(child)]
        }
        return out
    }

    /// Makes `list` the children of `container`, in that order.
    mutating func setChildren(_ container: Int32, _ list: [Int32]) {
        firstChild[Int(container)] = -1
        lastChild[Int(container)] = -1
        for child in list { attach(child, to: container) }
    }

    /// The container of a referenced id, a dummy made when none exists yet.
    mutating func container(for id: Int32) -> Int32 {
        let existing = byID[Int(id)]
        if existing >= 0 { return existing }
        let made = make(-1)
        byID[Int(id)] = made
        return made
    }

    /// (1) One message: its container, its references linked in a chain, itself under the last.
    mutating func link(_ index: Int) {
        // (1.A) A missing or duplicated Message-ID: a container of its own, unique.
        let own: Int32
        let id = input.messageID[index]
        if id >= 0, byID[Int(id)] >= 0 {
            let existing = byID[Int(id)]
            if message[Int(existing)] < 0 {
                message[Int(existing)] = Int32(index)
                own = existing
            } else {
                own = make(Int32(index))
            }
        } else {
            own = make(Int32(index))
            if id >= 0 { byID[Int(id)] = own }
        }
        // Each reference the parent of the next; existing links are kept; no loops. (Linking
        // as each container is found links what finding them all first would: a container
        // found later has no links yet.) No arrays per message: 100,000 of them cost more than
        // the linking.
        var last: Int32 = -1
        for reference in input.references(of: index) {
            let lower = container(for: reference)
            if last >= 0, parent[Int(lower)] < 0, !isAncestor(lower, of: last) {
                attach(lower, to: last)
            }
            last = lower
        }
        // No valid References: the first valid In-Reply-To id is the only reference.
        if last < 0, input.inReplyTo[index] >= 0 { last = container(for: input.inReplyTo[index]) }
        // (1.B) The last reference is the parent, whatever parent an earlier, truncated
        // References gave; no references: no parent.
        let current = parent[Int(own)]
        if current >= 0 { detach(own, from: current) }
        if last >= 0, !isAncestor(own, of: last) {
            attach(own, to: last)
        }
    }

    /// `a` is `b` or one of `b`'s ancestors: making `b` the parent of `a` would loop.
    func isAncestor(_ a: Int32, of b: Int32) -> Bool {
        var node = b
        while node >= 0 {
            if node == a { return true }
            node = parent[Int(node)]
        }
        return false
    }

    /// `child` appended to `newParent`'s children.
    mutating func attach(_ child: Int32, to newParent: Int32) {
        parent[Int(child)] = newParent
        let last = lastChild[Int(newParent)]
        previousSibling[Int(child)] = last
        nextSibling[Int(child)] = -1
        if last >= 0 { nextSibling[Int(last)] = child } else { firstChild[Int(newParent)] = child }
        lastChild[Int(newParent)] = child
    }

    mutating func detach(_ child: Int32, from oldParent: Int32) {
        let (before, after) = (previousSibling[Int(child)], nextSibling[Int(child)])
        if before >= 0 { nextSibling[Int(before)] = after } else { firstChild[Int(oldParent)] = after }
        if after >= 0 { previousSibling[Int(after)] = before } else { lastChild[Int(oldParent)] = before }
        previousSibling[Int(child)] = -1
        nextSibling[Int(child)] = -1
        parent[Int(child)] = -1
    }

    func isDummy(_ container: Int32) -> Bool { message[Int(container)] < 0 }

    /// (2) Every container without a parent is a thread's head.
    func roots() -> [Int32] {
        parent.indices.filter { parent[$0] < 0 }.map { Int32($0) }
    }

    /// (3) Dummies removed bottom-up: one without children goes, one with children gives them to
    /// its own level — except at the top level, where only a single child is promoted.
    mutating func prune(_ level: [Int32], atRoot: Bool) -> [Int32] {
        // Messages without replies (most levels) stay as they are.
        if level.allSatisfy({ message[Int($0)] >= 0 && !hasChildren($0) }) { return level }
        var kept: [Int32] = []
        kept.reserveCapacity(level.count)
        for container in level {
            if hasChildren(container) { pruneChildren(container) }
            guard isDummy(container) else {
                kept.append(container)
                continue
            }
            if !hasChildren(container) { continue }
            if atRoot && firstChild[Int(container)] != lastChild[Int(container)] {
                kept.append(container)
                continue
            }
            let orphans = children(container)
            for orphan in orphans {
                parent[Int(orphan)] = atRoot ? -1 : parent[Int(container)]
                nextSibling[Int(orphan)] = -1
                previousSibling[Int(orphan)] = -1
            }
            firstChild[Int(container)] = -1
            lastChild[Int(container)] = -1
            kept.append(contentsOf: orphans)
        }
        return kept
    }

    /// (3) below the top level: a container's children pruned in place. An only child that is
    /// a message needs no list.
    mutating func pruneChildren(_ container: Int32) {
        let first = firstChild[Int(container)]
        if first == lastChild[Int(container)], message[Int(first)] >= 0 {
            if hasChildren(first) { pruneChildren(first) }
            return
        }
        setChildren(container, prune(children(container), atRoot: false))
    }

    /// The message a container stands for: its own, or a dummy's first child's (RFC 5256 §3,
    /// steps 4, 5 and 6); -1 for a dummy without children.
    func firstMessage(_ container: Int32) -> Int32 {
        var node = container
        while message[Int(node)] < 0, firstChild[Int(node)] >= 0 { node = firstChild[Int(node)] }
        return message[Int(node)]
    }

    /// A container's place in date order: its message's sent date and UID, or a dummy's first
    /// child's (RFC 5256 §3, steps 4 and 6).
    func dateKey(_ container: Int32) -> (Int64, UInt32) {
        let first = firstMessage(container)
        guard first >= 0 else { return (Int64.min, 0) }
        return (input.sent[Int(first)], input.uids[Int(first)])
    }

    func sortedByDate(_ level: [Int32]) -> [Int32] {
        guard level.count > 1 else { return level }
        // The keys computed once per container, not once per comparison; the same comparisons
        // in the same order, so the same (unstable) sort result.
        let keyed = level.map { (key: dateKey($0), container: $0) }
        return keyed.sorted { $0.key < $1.key }.map(\.container)
    }

    /// A container's subject key (its message's, or a dummy's first child's), -1 when empty.
    func subjectKey(_ container: Int32) -> Int32 {
        let first = firstMessage(container)
        return first >= 0 ? keyOf[Int(first)] : -1
    }

    func isReplyOrForward(_ container: Int32) -> Bool {
        let first = firstMessage(container)
        return first >= 0 && input.isReplyOrForward[Int(first)]
    }

    /// (5) Threads whose heads share a base subject gathered together.
    mutating func mergeBySubject(_ level: [Int32]) -> [Int32] {
        var roots = level
        // (5.B) One head per subject: a dummy wins over a message, a message that is not a
        // reply or forward over one that is; otherwise the first in date order.
        var table = [Int32](repeating: -1, count: keyCount)
        for root in roots {
            let key = subjectKey(root)
            if key < 0 { continue }
            let held = table[Int(key)]
            guard held >= 0 else {
                table[Int(key)] = root
                continue
            }
            if !isDummy(held) && (isDummy(root) || (isReplyOrForward(held) && !isReplyOrForward(root))) {
                table[Int(key)] = root
            }
        }
        // (5.C) Every other head merged with the table's. Where each head stands in `roots`
        // (a new dummy takes its held head's place) and which are still at the top level.
        var slot = [Int](repeating: -1, count: message.count)
        var atRoot = [Bool](repeating: false, count: message.count)
        for (index, root) in roots.enumerated() {
            slot[Int(root)] = index
            atRoot[Int(root)] = true
        }
        for root in level where atRoot[Int(root)] {
            let key = subjectKey(root)
            guard key >= 0 else { continue }
            let held = table[Int(key)]
            guard held >= 0, held != root else { continue }
            if isDummy(held) && isDummy(root) {
                // Both dummies: the children of both become siblings.
                let moved = children(root)
                firstChild[Int(root)] = -1
                lastChild[Int(root)] = -1
                for child in moved { attach(child, to: held) }
                atRoot[Int(root)] = false
            } else if isDummy(held) || (isReplyOrForward(root) && !isReplyOrForward(held)) {
                // Under the table's dummy, or a reply under the message it replies to.
                attach(root, to: held)
                atRoot[Int(root)] = false
            } else {
                // Otherwise both under a new dummy, which takes the table's place.
                let dummy = make(-1)
                slot.append(slot[Int(held)])
                atRoot.append(true)
                if slot[Int(held)] >= 0 { roots[slot[Int(held)]] = dummy }
                atRoot[Int(held)] = false
                attach(held, to: dummy)
                attach(root, to: dummy)
                atRoot[Int(root)] = false
                table[Int(key)] = dummy
            }
        }
        return roots.filter { atRoot[Int($0)] }
    }

    /// (6) Every set of siblings in date order, the deepest first, so that a dummy is placed by
    /// its first child in date order.
    mutating func sortAll(_ level: [Int32]) -> [Int32] {
        for container in level where hasChildren(container) { sortChildren(container) }
        return sortedByDate(level)
    }

    /// (6) below the top level, in place; an only child needs no sort.
    mutating func sortChildren(_ container: Int32) {
        let first = firstChild[Int(container)]
        if first == lastChild[Int(container)] {
            if hasChildren(first) { sortChildren(first) }
            return
        }
        setChildren(container, sortAll(children(container)))
    }

    func emit(_ container: Int32, into walk: inout ThreadWalk) {
        let held = message[Int(container)]
        walk.open(held >= 0 ? input.uids[Int(held)] : nil)
        var child = firstChild[Int(container)]
        while child >= 0 {
            emit(child, into: &walk)
            child = nextSibling[Int(child)]
        }
        walk.close()
    }
}
