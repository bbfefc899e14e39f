import IMAPProtocol
import StoreAPI

/// One updating context: a SEARCH or SORT sent with `RETURN (UPDATE)`, whose result the
/// session keeps and tells the client about as it changes, with ADDTO and REMOVEFROM.
/// RFC 5267 §4.3. Pure: the session asks the store, this works out what to tell.
///
/// The result is kept as UIDs in result order (mailbox order for SEARCH, the sort order for
/// SORT); a SEARCH or SORT without UID gets them as sequence numbers when they are sent.
/// The criteria are the store's `MessageQuery` as it was at the command: sequence numbers,
/// `$` and `*` in them became the UIDs they meant then, and keep meaning those.
struct SearchContext: Sendable {
    enum Order: Sendable, Equatable {
        /// SEARCH: mailbox (UID) order, and every position 0 (§4.3.3: "MAY be zero").
        case mailbox
        /// SORT: the sort order; positions are 1-based places in it (§4.3.3, §4.3.4).
        case sorted([SortKey])
    }

    let tag: String
    let uid: Bool
    let query: MessageQuery
    let order: Order
    /// Whether a flag change can move a message in or out: FLAG/NOFLAG keys, and MODSEQ (a
    /// flag change raises the message's MODSEQ). Otherwise only arrivals are looked at.
    let watchesFlags: Bool
    private(set) var result: [UInt32]
    private var members: Set<UInt32>

    init(tag: String, uid: Bool, query: MessageQuery, order: Order, result: [UInt32]) {
        self.tag = tag
        self.uid = uid
        self.query = query
        self.order = order
        self.result = order == .mailbox ? result.sorted() : result
        self.members = Set(result)
        self.watchesFlags = Self.dependsOnFlags(query)
    }

    func contains(_ uid: UInt32) -> Bool { members.contains(uid) }

    /// Takes `uids` out of the result: the REMOVEFROM items, in UIDs, to be applied in order.
    /// For SORT each run of neighbours is one item at its position, counting the runs removed
    /// before it (§4.3.4: "the first result in the set will occupy the given context
    /// position before removal").
    mutating func remove(_ uids: Set<UInt32>) -> [ContextUpdate] {
        let gone = uids.filter { members.contains($0) }
        guard !gone.isEmpty else { return [] }
        members.subtract(gone)
        guard case .sorted = order else {
            result.removeAll { gone.contains($0) }
            return [ContextUpdate(.removeFrom, position: 0, gone.sorted())]
        }
        var updates: [ContextUpdate] = []
        var kept: [UInt32] = []
        kept.reserveCapacity(result.count)
        for uid in result {
            if gone.contains(uid) {
                // Joins the previous item when it removed the message just before this one.
                if let last = updates.last, Int(last.position) - 1 == kept.count {
                    updates[updates.count - 1].numbers.append(uid)
                } else {
                    updates.append(ContextUpdate(.removeFrom, position: UInt32(kept.count + 1), [uid]))
                }
            } else {
                kept.append(uid)
            }
        }
        result = kept
        return updates
    }

    /// Puts new SEARCH results in: one ADDTO at position 0, in mailbox order (§4.3.3).
    mutating func add(_ uids: [UInt32]) -> [ContextUpdate] {
        let new = uids.filter { !members.contains($0) }
        guard !new.isEmpty else { return [] }
        members.formUnion(new)
        let added = new.sorted()
        if let last = result.last, last > added[0] {
            // Merged in one pass; arrivals (new UIDs, above every result) just append.
            var merged: [UInt32] = []
            merged.reserveCapacity(result.count + added.count)
            var i = 0, j = 0
            while i < result.count || j < added.count {
                if j == added.count || (i < result.count && result[i] < added[j]) {
                    merged.append(result[i])
                    i += 1
                } else {
                    merged.append(added[j])
                    j += 1
                }
            }
            result = merged
        } else {
            result += added
        }
        return [ContextUpdate(.addTo, position: 0, added)]
    }

    /// Puts new SORT results in. `sorted` are the new ones in sort order; `places[j]` is how
    /// many of the old result come before `sorted[j]` (found by `InsertionSearch`). Each
    /// lands at its final place, so items applied in order need no adjusting (§4.3.3: "the
    /// first result in the set will occupy the new context position after insertion");
    /// neighbours share an item.
    mutating func insert(_ sorted: [UInt32], at places: [Int]) -> [ContextUpdate] {
        precondition(sorted.count == places.count)
        var updates: [ContextUpdate] = []
        var merged: [UInt32] = []
        merged.reserveCapacity(result.count + sorted.count)
        var next = 0
        for (j, uid) in sorted.enumerated() where !members.contains(uid) {
            let place = min(max(places[j], next), result.count)
            merged += result[next..<place]
            next = place
            let position = UInt32(merged.count + 1)
            if let last = updates.last, Int(last.position) + last.numbers.count == Int(position) {
                updates[updates.count - 1].numbers.append(uid)
            } else {
                updates.append(ContextUpdate(.addTo, position: position, [uid]))
            }
            merged.append(uid)
            members.insert(uid)
        }
        merged += result[next...]
        result = merged
        return updates
    }

    /// Whether the query's answer can change when only flags (and so MODSEQs) change.
    static func dependsOnFlags(_ query: MessageQuery) -> Bool {
        var stack = [query]
        while let next = stack.popLast() {
            switch next {
            case .flag, .noFlag, .modSeq: return true
            case .not(let inner): stack.append(inner)
            case .or(let a, let b): stack += [a, b]
            case .and(let all): stack += all
            default: continue
            }
        }
        return false
    }
}

/// Where new messages go in a sorted result, without sorting it again: a binary search per
/// new message whose comparisons are answered in rounds, each round one store SORT of the new
/// messages and the results they are compared with (a sort of a subset keeps the subset's
/// order in the whole: RFC 5256 §3 orders by the keys, then by mailbox order). About
/// log2(result) rounds of at most two UIDs per new message, instead of re-sorting the result.
struct InsertionSearch: Sendable {
    /// Per new message: the old results before it are at least `low` and at most `high`.
    private var low: [Int]
    private var high: [Int]

    init(new: Int, existing: Int) {
        low = Array(repeating: 0, count: new)
        high = Array(repeating: existing, count: new)
    }

    var done: Bool { zip(low, high).allSatisfy { $0 == $1 } }
    /// How many old results come before each new message, once `done`.
    var places: [Int] { low }

    /// The comparisons of the next round: new message `j` against old result `probe`.
    func probes() -> [(j: Int, probe: Int)] {
        low.indices.compactMap { j in low[j] < high[j] ? (j, (low[j] + high[j]) / 2) : nil }
    }

    /// The answer to one comparison: whether the old result `probe` sorts before new `j`.
    mutating func record(_ j: Int, probe: Int, existingFirst: Bool) {
        if existingFirst { low[j] = probe + 1 } else { high[j] = probe }
    }

    /// Runs the rounds; `sortSubset` sorts some UIDs (a store SORT with the context's keys).
    static func places(
        of new: [UInt32], in existing: [UInt32], sortSubset: ([UInt32]) async throws -> [UInt32]
    ) async throws -> [Int] {
        var search = InsertionSearch(new: new.count, existing: existing.count)
        while !search.done {
            let round = search.probes()
            let asked = Set(round.flatMap { [new[$0.j], existing[$0.probe]] })
            let order = try await sortSubset(asked.sorted())
            var rank: [UInt32: Int] = [:]
            for (index, uid) in order.enumerated() { rank[uid] = index }
            for (j, probe) in round {
                // A message gone from the store meanwhile answers nothing: its own REMOVEFROM
                // follows from the feed; any consistent answer will do until then.
                let existingFirst = (rank[existing[probe]] ?? -1) < (rank[new[j]] ?? Int.max)
                search.record(j, probe: probe, existingFirst: existingFirst)
            }
        }
        return search.places
    }
}

/// What a batch of the change feed did to the selected mailbox, as far as contexts care.
struct FeedTouches: Sendable {
    var expunged: Set<UInt32> = []
    var added: Set<UInt32> = []
    var flagsChanged: Set<UInt32> = []
    /// Another session deleted the mailbox: every message in the view is gone
    /// (`MailboxView.apply` expunges them all).
    var mailboxDeleted = false

    init(_ changes: [Change], mailbox: Int64, after cursor: UInt64) {
        for change in changes where change.modSeq > cursor && change.mailboxID == mailbox {
            if change.kind == .mailboxDeleted { mailboxDeleted = true }
            guard let uid = change.uid else { continue }
            switch change.kind {
            case .added: added.insert(uid)
            case .flags: flagsChanged.insert(uid)
            case .expunged: expunged.insert(uid)
            default: continue
            }
        }
    }
}
