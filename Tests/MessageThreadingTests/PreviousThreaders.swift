import StoreAPI

@testable import MessageThreading

// The String-keyed threaders as they were before THREAD worked on numbers (ThreadInput), kept
// to check that the numbers give the same threads (PreviousThreadersTests).
enum PreviousReferencesThreader {
    static func thread(_ messages: [ThreadableMessage]) -> [ThreadNode] {
        var forest = PreviousForest()
        // Mailbox order decides which message keeps a duplicated Message-ID (step 1.A).
        for message in messages.sorted(by: { $0.uid < $1.uid }) {
            forest.link(message)
        }
        var roots = forest.roots()  // (2)
        roots = forest.prune(roots, atRoot: true)  // (3)
        for root in roots where forest.isDummy(root) {  // (4)
            forest.children[root] = forest.sortedByDate(forest.children[root])
        }
        roots = forest.sortedByDate(roots)
        roots = forest.mergeBySubject(roots)  // (5)
        roots = forest.sortAll(roots)  // (6)
        return roots.map(forest.node)
    }
}

/// Containers (a message or a dummy) by index, linked to parent and children.
private struct PreviousForest {
    var message: [ThreadableMessage?] = []
    var parent: [Int?] = []
    var children: [[Int]] = []
    var byID: [String: Int] = [:]
    /// Subjects' keys, computed once per message.
    var subjectKey: [String] = []

    mutating func make(_ message: ThreadableMessage?) -> Int {
        self.message.append(message)
        parent.append(nil)
        children.append([])
        subjectKey.append(message.map { UnicodeCasemap.mappedKey($0.baseSubject) } ?? "")
        return self.message.count - 1
    }

    /// The container of a referenced id, a dummy made when none exists yet.
    mutating func container(for id: String) -> Int {
        if let existing = byID[id] { return existing }
        let made = make(nil)
        byID[id] = made
        return made
    }

    /// (1) One message: its container, its references linked in a chain, itself under the last.
    mutating func link(_ message: ThreadableMessage) {
        // (1.A) A missing or duplicated Message-ID: a container of its own, unique.
        let own: Int
        if let id = message.messageID, let existing = byID[id] {
            if self.message[existing] == nil {
                self.message[existing] = message
                subjectKey[existing] = UnicodeCasemap.mappedKey(message.baseSubject)
                own = existing
            } else {
                own = make(message)
            }
        } else {
            own = make(message)
            if let id = message.messageID { byID[id] = own }
        }
        // No valid References: the first valid In-Reply-To id is the only reference.
        let references = message.references.isEmpty ? (message.inReplyTo.map { [$0] } ?? []) : message.references
        let containers = references.map { container(for: $0) }
        // Each reference the parent of the next; existing links are kept; no loops.
        for (upper, lower) in zip(containers, containers.dropFirst()) {
            if parent[lower] == nil, !isAncestor(lower, of: upper) {
                attach(lower, to: upper)
            }
        }
        // (1.B) The last reference is the parent, whatever parent an earlier, truncated
        // References gave; no references: no parent.
        if let current = parent[own] { detach(own, from: current) }
        if let last = containers.last, !isAncestor(own, of: last) {
            attach(own, to: last)
        }
    }

    /// `a` is `b` or one of `b`'s ancestors: making `b` the parent of `a` would loop.
    func isAncestor(_ a: Int, of b: Int) -> Bool {
        var walk: Int? = b
        while let node = walk {
            if node == a { return true }
            walk = parent[node]
        }
        return false
    }

    mutating func attach(_ child: Int, to newParent: Int) {
        parent[child] = newParent
        children[newParent].append(child)
    }

    mutating func detach(_ child: Int, from oldParent: Int) {
        children[oldParent].removeAll { $0 == child }
        parent[child] = nil
    }

    func isDummy(_ container: Int) -> Bool { message[container] == nil }

    /// (2) Every container without a parent is a thread's head.
    func roots() -> [Int] {
        parent.indices.filter { parent[$0] == nil }
    }

    /// (3) Dummies removed bottom-up: one without children goes, one with children gives them to
    /// its own level — except at the top level, where only a single child is promoted.
    mutating func prune(_ level: [Int], atRoot: Bool) -> [Int] {
        var kept: [Int] = []
        for container in level {
            children[container] = prune(children[container], atRoot: false)
            guard isDummy(container) else {
                kept.append(container)
                continue
            }
            let orphans = children[container]
            if orphans.isEmpty { continue }
            if atRoot && orphans.count > 1 {
                kept.append(container)
                continue
            }
            for orphan in orphans { parent[orphan] = atRoot ? nil : parent[container] }
            children[container] = []
            kept.append(contentsOf: orphans)
        }
        return kept
    }

    /// A container's place in date order: its message's sent date and UID, or a dummy's first
    /// child's (RFC 5256 §3, steps 4 and 6).
    func dateKey(_ container: Int) -> (Int64, UInt32) {
        var node = container
        while message[node] == nil, let first = children[node].first { node = first }
        guard let message = message[node] else { return (Int64.min, 0) }
        return (message.sent, message.uid)
    }

    func sortedByDate(_ level: [Int]) -> [Int] {
        level.sorted { dateKey($0) < dateKey($1) }
    }

    /// The message a thread's subject is read from: itself, or a dummy's first child.
    func subjectMessage(_ container: Int) -> Int {
        var node = container
        while message[node] == nil, let first = children[node].first { node = first }
        return node
    }

    func isReplyOrForward(_ container: Int) -> Bool {
        message[subjectMessage(container)]?.isReplyOrForward ?? false
    }

    /// (5) Threads whose heads share a base subject gathered together.
    mutating func mergeBySubject(_ level: [Int]) -> [Int] {
        var roots = level
        // (5.B) One head per subject: a dummy wins over a message, a message that is not a
        // reply or forward over one that is; otherwise the first in date order.
        var table: [String: Int] = [:]
        for root in roots {
            let key = subjectKey[subjectMessage(root)]
            if key.isEmpty { continue }
            guard let held = table[key] else {
                table[key] = root
                continue
            }
            if !isDummy(held) && (isDummy(root) || (isReplyOrForward(held) && !isReplyOrForward(root))) {
                table[key] = root
            }
        }
        // (5.C) Every other head merged with the table's.
        var atRoot = Set(roots)
        for root in roots where atRoot.contains(root) {
            let key = subjectKey[subjectMessage(root)]
            guard !key.isEmpty, let held = table[key], held != root else { continue }
            if isDummy(held) && isDummy(root) {
                // Both dummies: the children of both become siblings.
                for child in children[root] { parent[child] = held }
                children[held].append(contentsOf: children[root])
                children[root] = []
                atRoot.remove(root)
            } else if isDummy(held) || (isReplyOrForward(root) && !isReplyOrForward(held)) {
                // Under the table's dummy, or a reply under the message it replies to.
                attach(root, to: held)
                atRoot.remove(root)
            } else {
                // Otherwise both under a new dummy, which takes the table's place.
                let dummy = make(nil)
                if let slot = roots.firstIndex(of: held) { roots[slot] = dummy }
                atRoot.remove(held)
                atRoot.insert(dummy)
                attach(held, to: dummy)
                attach(root, to: dummy)
                atRoot.remove(root)
                table[key] = dummy
            }
        }
        return roots.filter { atRoot.contains($0) }
    }

    /// (6) Every set of siblings in date order, the deepest first, so that a dummy is placed by
    /// its first child in date order.
    mutating func sortAll(_ level: [Int]) -> [Int] {
        for container in level {
            children[container] = sortAll(children[container])
        }
        return sortedByDate(level)
    }

    func node(_ container: Int) -> ThreadNode {
        ThreadNode(uid: message[container]?.uid, children: children[container].map(node))
    }
}

enum PreviousOrderedSubjectThreader {
    static func thread(_ messages: [ThreadableMessage]) -> [ThreadNode] {
        let keyed = messages.map { (key: UnicodeCasemap.mappedKey($0.baseSubject), message: $0) }
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
