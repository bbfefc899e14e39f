/// An IMAP sequence set of UIDs (RFC 3501 §9 `sequence-set`, RFC 9051 §9): `1:4,7,10:*`.
///
/// `*` stands for the largest UID in the mailbox, and a range is the same whichever way round
/// it is written (`5:*` with a largest UID of 3 means `3:5`).
public struct UIDSet: Sendable, Hashable, CustomStringConvertible {
    public enum Bound: Sendable, Hashable {
        case uid(UInt32)
        case largest
    }
    public struct Range: Sendable, Hashable {
        public var first: Bound
        public var last: Bound
    }
    public var ranges: [Range]

    /// A set can name at most this many ranges; more is a sign of abuse, not of a client.
    public static let maxRanges = 10_000

    public init(ranges: [Range]) { self.ranges = ranges }

    public init(uids: [UInt32]) {
        self.ranges = uids.map { Range(first: .uid($0), last: .uid($0)) }
    }

    public static let all = UIDSet(ranges: [Range(first: .uid(1), last: .largest)])

    /// Parses `seq-range *("," seq-range)`; UID 0 is not a valid UID (RFC 3501 §2.3.1.1).
    public init?(_ text: String) {
        var ranges: [Range] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard ranges.count < Self.maxRanges else { return nil }
            let ends = item.split(separator: ":", omittingEmptySubsequences: false)
            guard ends.count == 1 || ends.count == 2 else { return nil }
            guard let first = Self.bound(ends[0]) else { return nil }
            let last = ends.count == 2 ? Self.bound(ends[1]) : first
            guard let last else { return nil }
            ranges.append(Range(first: first, last: last))
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
    }

    private static func bound(_ s: Substring) -> Bound? {
        if s == "*" { return .largest }
        guard !s.isEmpty, s.count <= 10, s.allSatisfy({ $0.isASCII && $0.isNumber }),
            let n = UInt32(s), n > 0
        else { return nil }
        return .uid(n)
    }

    /// The closed UID ranges this set covers once `*` is known, merged and sorted.
    public func resolved(largest: UInt32) -> [ClosedRange<UInt32>] {
        let concrete = ranges.map { r -> ClosedRange<UInt32> in
            let a = Self.value(r.first, largest), b = Self.value(r.last, largest)
            return min(a, b)...max(a, b)
        }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for r in concrete {
            if let last = merged.last, last.upperBound == .max || r.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                merged.append(r)
            }
        }
        return merged
    }

    private static func value(_ b: Bound, _ largest: UInt32) -> UInt32 {
        switch b {
        case .uid(let n): return n
        case .largest: return largest
        }
    }

    public var description: String {
        ranges.map { r in
            let f = Self.text(r.first), l = Self.text(r.last)
            return f == l ? f : "\(f):\(l)"
        }.joined(separator: ",")
    }

    private static func text(_ b: Bound) -> String {
        switch b {
        case .uid(let n): return String(n)
        case .largest: return "*"
        }
    }
}
