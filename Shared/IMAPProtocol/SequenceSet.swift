import LineFraming

/// A set of message sequence numbers or UIDs, with `*` for the largest in use (RFC 9051
/// §6.4.1) and `$` for the result of the last SEARCH ... SAVE (RFC 5182 §2.1).
///
/// ```
/// seq-number  = nz-number / "*"                                    ; RFC 9051 §9
/// seq-range   = seq-number ":" seq-number
/// sequence-set = (seq-number / seq-range) ["," sequence-set]
/// sequence-set =/ seq-last-command
/// seq-last-command = "$"                                           ; RFC 5182 §3
/// ```
/// `C: a1 UID FETCH 1:3,7,10:* FLAGS` and `C: a2 UID STORE $ +FLAGS (\Seen)`
public enum SequenceSet: Sendable, Hashable, CustomStringConvertible {
    /// The saved result of the last SEARCH/UID SEARCH with SAVE. RFC 5182 §2.1
    case lastCommand
    /// One or more ranges, in the order sent.
    case ranges([SequenceRange])

    /// A number, or `*`: the largest in use. RFC 9051 §9
    public enum Number: Sendable, Hashable {
        case number(UInt32)
        case largest

        func resolved(largest value: UInt32) -> UInt32 {
            if case .number(let n) = self { return n }
            return value
        }
    }

    /// `a:b` (either order means the same, RFC 9051 §9) or a single number when equal.
    public struct SequenceRange: Sendable, Hashable {
        public var first: Number
        public var last: Number
        public init(_ first: Number, _ last: Number) {
            self.first = first
            self.last = last
        }
        public init(_ value: UInt32) { self.init(.number(value), .number(value)) }
        public init(_ range: ClosedRange<UInt32>) { self.init(.number(range.lowerBound), .number(range.upperBound)) }
    }

    /// Whether `value` is in the set, `*` standing for `largest`. `$` must be resolved first.
    public func contains(_ value: UInt32, largest: UInt32) -> Bool {
        guard case .ranges(let ranges) = self else { return false }
        return ranges.contains { range in
            let a = range.first.resolved(largest: largest), b = range.last.resolved(largest: largest)
            return (min(a, b)...max(a, b)).contains(value)
        }
    }

    public var description: String { String(decoding: encoded, as: UTF8.self) }

    public var encoded: [UInt8] {
        func number(_ n: Number) -> String {
            if case .number(let v) = n { return String(v) }
            return "*"
        }
        guard case .ranges(let ranges) = self else { return [ByteClass.dollar] }
        return Array(
            ranges.map { $0.first == $0.last ? number($0.first) : "\(number($0.first)):\(number($0.last))" }
                .joined(separator: ",").utf8)
    }
}

extension IMAPCursor {
    /// seq-number = nz-number / "*". RFC 9051 §9
    mutating func sequenceNumber() throws(IMAPSyntaxError) -> SequenceSet.Number {
        if take(ByteClass.star) { return .largest }
        return .number(try nzNumber())
    }

    /// sequence-set, or "$". RFC 9051 §9, RFC 5182 §3
    mutating func sequenceSet() throws(IMAPSyntaxError) -> SequenceSet {
        if take(ByteClass.dollar) { return .lastCommand }  // RFC 5182 §2.1
        var ranges: [SequenceSet.SequenceRange] = []
        repeat {
            let first = try sequenceNumber()
            let last = take(ByteClass.colon) ? try sequenceNumber() : first
            ranges.append(.init(first, last))
        } while take(ByteClass.comma)
        return .ranges(ranges)
    }
}

extension SequenceSet {
    /// Parses a whole sequence set as sent: `1:3,7,10:*` or `$`.
    public init(parsing text: String) throws(IMAPSyntaxError) {
        self = try IMAPCursor.whole(Array(text.utf8)) { c throws(IMAPSyntaxError) in try c.sequenceSet() }
    }
}
