import LineFraming

/// A PARTIAL range: which results of a SEARCH, SORT or FETCH to return, counted from the
/// first result or, with minus signs, from the last. RFC 9394 §3.1 (SEARCH/SORT), §3.2 (FETCH);
/// RFC 5267 §4.4 had only the first form.
///
/// ```
/// partial-range       = partial-range-first / partial-range-last           ; RFC 9394 §5
/// partial-range-first = nz-number ":" nz-number     ; the first results, 1-based
/// partial-range-last  = MINUS nz-number ":" MINUS nz-number  ; -1 is the last result
/// ```
/// ```
/// C: a1 UID SEARCH RETURN (PARTIAL -1:-100) UNDELETED
/// S: * ESEARCH (TAG "a1") UID PARTIAL (-1:-100 200:250,252:300)
/// C: a2 UID FETCH 1:* (FLAGS) (PARTIAL -1:-30)
/// ```
/// "500:400 is the same as 400:500" (RFC 5267 §4.4, kept by RFC 9394): the bounds are kept
/// low to high, as magnitudes.
public struct PartialRange: Sendable, Hashable {
    /// 1-based positions: `1...100` for both `1:100` and `-1:-100`.
    public var positions: ClosedRange<UInt32>
    /// Counted from the end of the result (`-1:-100`).
    public var fromEnd: Bool

    public init(_ positions: ClosedRange<UInt32>, fromEnd: Bool = false) {
        self.positions = positions
        self.fromEnd = fromEnd
    }

    /// `1:100` or `-1:-100`.
    public var encoded: String {
        fromEnd ? "-\(positions.lowerBound):-\(positions.upperBound)" : "\(positions.lowerBound):\(positions.upperBound)"
    }

    /// The items at these positions, in the items' order (RFC 9394 §3.1: the result order,
    /// ascending for SEARCH, the sort order for SORT); past either end, what there is.
    public func window<T>(_ items: [T]) -> [T] {
        let count = items.count
        let low: Int, high: Int  // indices, high exclusive
        if fromEnd {
            // -1 is index count-1; -k is index count-k.
            low = max(0, count - Int(positions.upperBound))
            high = count - Int(positions.lowerBound) + 1
        } else {
            low = Int(positions.lowerBound) - 1
            high = min(Int(positions.upperBound), count)
        }
        return low < high ? Array(items[low..<high]) : []
    }
}

extension IMAPCommandParser {
    /// `partial-range` (RFC 9394 §5), read from after "PARTIAL" and its SP: both bounds
    /// negative or both positive; `1:-5` is `BAD`.
    func partialRange9394(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> PartialRange {
        try c.space()
        let fromEnd = c.take(ByteClass.hyphen)
        let first = try c.nzNumber()
        guard c.take(ByteClass.colon) else { throw IMAPCursor.fail("expected a partial range") }
        guard c.take(ByteClass.hyphen) == fromEnd else { throw IMAPCursor.fail("partial range bounds of two signs") }
        let last = try c.nzNumber()
        return PartialRange(min(first, last)...max(first, last), fromEnd: fromEnd)
    }
}

/// A SEARCH or SORT RETURN option, one of which is a PARTIAL range of either form (RFC 9394 §3.1).
protocol PartialReturnOption {
    static func partial(_ positions: ClosedRange<UInt32>) -> Self
    static func partialLast(_ positions: ClosedRange<UInt32>) -> Self
}

extension PartialReturnOption {
    init(_ range: PartialRange) {
        self = range.fromEnd ? .partialLast(range.positions) : .partial(range.positions)
    }
}
