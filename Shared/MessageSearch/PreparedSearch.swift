import StoreAPI

/// A query compiled against one mailbox's `*` (see `SearchEvaluator.prepare`).
public struct PreparedSearch: Sendable {
    /// The most any message needs loaded for this key.
    public let contentNeed: SearchEvaluator.ContentNeed
    let nodes: [Node]
    let root: Int

    enum Node: Sendable {
        case test(Test)
        case not(Int)
        /// AND of the children (true when empty), cheapest first.
        case all([Int])
        /// OR of the children, cheapest first.
        case any([Int])
    }

    enum Test: Sendable {
        case always
        /// A flag, name ASCII-lower-cased, set (`true`) or not set.
        case flag([UInt8], Bool)
        case internalDate(DayComparison, Int)
        case sentDate(DayComparison, Int)
        case larger(UInt64)
        case smaller(UInt64)
        /// Field name ASCII-lower-cased.
        case header([UInt8], Needle)
        case body(Needle)
        case text(Needle)
        case uid(IntervalSet)
        case modSeq(UInt64)

        var cost: SearchEvaluator.ContentNeed {
            switch self {
            case .header, .sentDate: .header
            case .body, .text: .full
            default: .none
            }
        }
    }

    typealias DayComparison = StoreAPI.DayComparison.Relation

    /// Compiles without recursion, so a query of any depth is safe (the IMAP parser caps
    /// its nesting; queries built in code or decoded from JSON have no such cap).
    init(_ key: MessageQuery, evaluator: SearchEvaluator) throws(SearchEvaluator.InvalidQuery) {
        enum Work {
            case visit(MessageQuery)
            case not
            case and(Int)
            case or
        }
        var nodes: [Node] = []
        var costs: [SearchEvaluator.ContentNeed] = []
        var built: [Int] = []
        var work: [Work] = [.visit(key)]

        func add(_ node: Node, cost: SearchEvaluator.ContentNeed) {
            nodes.append(node)
            costs.append(cost)
            built.append(nodes.count - 1)
        }
        /// Children in order, nested groups of the same kind spliced in, cheapest first.
        func group(_ count: Int, and: Bool) -> (children: [Int], cost: SearchEvaluator.ContentNeed) {
            var children: [Int] = []
            for child in built.suffix(count) {
                switch nodes[child] {
                case .all(let inner) where and: children += inner
                case .any(let inner) where !and: children += inner
                default: children.append(child)
                }
            }
            built.removeLast(count)
            // Stable: equal-cost tests keep the client's order.
            let ordered = children.enumerated().sorted { a, b in
                (costs[a.element], a.offset) < (costs[b.element], b.offset)
            }.map(\.element)
            return (ordered, ordered.map { costs[$0] }.max() ?? .none)
        }

        while let item = work.popLast() {
            switch item {
            case .visit(let key):
                switch key {
                case .not(let inner): work += [.not, .visit(inner)]
                case .or(let a, let b): work += [.or, .visit(b), .visit(a)]
                case .and(let keys): work.append(.and(keys.count)); work += keys.reversed().map { .visit($0) }
                default:
                    let test = try Self.test(key, evaluator: evaluator)
                    add(.test(test), cost: test.cost)
                }
            case .not:
                let child = built.removeLast()
                if case .not(let grandchild) = nodes[child] {
                    built.append(grandchild)  // NOT NOT x is x
                } else {
                    add(.not(child), cost: costs[child])
                }
            case .and(let count):
                let (children, cost) = group(count, and: true)
                if children.count == 1 {
                    built.append(children[0])  // (x) is x
                } else {
                    add(.all(children), cost: cost)
                }
            case .or:
                let (children, cost) = group(2, and: false)
                add(.any(children), cost: cost)
            }
        }
        self.nodes = nodes
        self.root = built.last ?? 0
        self.contentNeed = costs[root]
    }

    /// A leaf key as a test.
    static func test(_ key: MessageQuery, evaluator e: SearchEvaluator) throws(SearchEvaluator.InvalidQuery) -> Test {
        switch key {
        case .all: return .always
        case .flag(let name): return .flag(SearchText.asciiLowercased(name), true)
        case .noFlag(let name): return .flag(SearchText.asciiLowercased(name), false)
        case .arrival(let comparison): return .internalDate(comparison.relation, try day(comparison.day))
        case .sent(let comparison): return .sentDate(comparison.relation, try day(comparison.day))
        case .larger(let n): return .larger(n)
        case .smaller(let n): return .smaller(n)
        case .header(let name, let value): return .header(SearchText.asciiLowercased(name), Needle(value))
        case .body(let value): return .body(Needle(value))
        case .text(let value): return .text(Needle(value))
        case .uids(let text):
            guard let set = UIDSet(text) else { throw .init(description: "not a UID set: \(text.prefix(64))") }
            // RFC 9051 §9: `*` is the largest UID and 5:* with largest 3 is 3:5.
            return .uid(IntervalSet(set.resolved(largest: e.largestUID)))
        case .modSeq(let n): return .modSeq(n)
        case .not, .or, .and: return .always  // compiled as nodes, never reaches here
        }
    }

    private static func day(_ text: String) throws(SearchEvaluator.InvalidQuery) -> Int {
        guard let day = SearchDates.day(text) else { throw .init(description: "not a YYYY-MM-DD day: \(text.prefix(32))") }
        return day
    }

    /// Whether one message matches. Iterative, short-circuiting, and content is decoded at
    /// most once per message whatever the number of keys reading it.
    public func matches(_ candidate: SearchCandidate, content: SearchContent?) -> Bool {
        var cache = SearchContentCache(content)
        /// A node being evaluated and how many of its children are done.
        struct Frame {
            var node: Int
            var done: Int
        }
        var frames = [Frame(node: root, done: 0)]
        var value = true  // the result of the node that finished last
        while var frame = frames.popLast() {
            switch nodes[frame.node] {
            case .test(let test):
                value = evaluate(test, candidate, &cache)
            case .not(let child):
                if frame.done == 1 {
                    value = !value
                } else {
                    frame.done = 1
                    frames += [frame, Frame(node: child, done: 0)]
                }
            case .all(let children), .any(let children):
                let isAnd = if case .all = nodes[frame.node] { true } else { false }
                // Short-circuit: a false child ends an AND, a true child an OR.
                if frame.done > 0, value != isAnd { continue }
                if frame.done == children.count {
                    value = isAnd
                    continue
                }
                frame.done += 1
                frames += [frame, Frame(node: children[frame.done - 1], done: 0)]
            }
        }
        return value
    }

    private func evaluate(_ test: Test, _ c: SearchCandidate, _ cache: inout SearchContentCache) -> Bool {
        switch test {
        case .always: return true
        case .flag(let name, let set): return c.flags.contains { SearchText.asciiEqual($0, name) } == set
        case .internalDate(let comparison, let day): return comparison.holds(SearchDates.utcDay(c.internalDate), day)
        case .sentDate(let comparison, let day):
            return comparison.holds(cache.sentDay() ?? SearchDates.utcDay(c.internalDate), day)
        case .larger(let n): return c.size >= 0 && UInt64(c.size) > n
        case .smaller(let n): return c.size < 0 || UInt64(c.size) < n
        case .header(let name, let needle): return cache.headerContains(name, needle)
        case .body(let needle): return cache.bodyContains(needle)
        case .text(let needle): return cache.headerContains(nil, needle) || cache.bodyContains(needle, mimeHeaders: true)
        case .uid(let set): return set.contains(c.uid)
        case .modSeq(let n): return c.modSeq >= n  // RFC 7162 §3.1.5
        }
    }
}

extension StoreAPI.DayComparison.Relation {
    /// Whether a message's `day` relates so to the `reference` day (RFC 9051 §6.4.4: BEFORE
    /// is earlier, ON the same day, SINCE the same day or later).
    func holds(_ day: Int, _ reference: Int) -> Bool {
        switch self {
        case .before: day < reference
        case .on: day == reference
        case .since: day >= reference
        }
    }
}

/// Disjoint sorted intervals of UInt32, for sets tested once per message.
struct IntervalSet: Sendable, Hashable {
    private var lows: [UInt32] = []
    private var highs: [UInt32] = []

    init(_ ranges: [ClosedRange<UInt32>]) {
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = highs.last, range.lowerBound <= last || range.lowerBound - last == 1 {
                highs[highs.count - 1] = max(last, range.upperBound)
            } else {
                lows.append(range.lowerBound)
                highs.append(range.upperBound)
            }
        }
    }

    func contains(_ value: UInt32) -> Bool {
        // The last interval starting at or before value.
        var low = 0, high = lows.count
        while low < high {
            let mid = (low + high) / 2
            if lows[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low > 0 && value <= highs[low - 1]
    }
}
