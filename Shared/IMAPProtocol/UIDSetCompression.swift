/// Writes lists of UIDs (or sequence numbers) as compact sets: `1:3,5`. RFC 9051 §9,
/// RFC 4315 §4.
///
/// ```
/// uid-set   = (uniqueid / uid-range) *("," uid-set)
/// uid-range = (uniqueid ":" uniqueid)   ; two uniqueid values and all values between
///                                       ; these two regardless of order (2:4 = 4:2)
/// ```
/// ```
/// S: a1 OK [APPENDUID 38505 3955:3957] APPEND completed            (sorted)
/// S: a2 OK [COPYUID 38505 304,319:320 3956:3958] Done               (mapping order)
/// ```
/// Because a range denotes a *set* (`4:2` is `2:4`), a range carries no order. Where order
/// matters — COPYUID, whose source and destination sets pair up element by element
/// (RFC 4315 §3, RFC 9051 §7.1) — `ordered` keeps the list's order and only joins runs that
/// ascend by one, so both sets expand back to the same pairing.
public enum UIDSetCompression {
    /// Sorted, duplicates removed, consecutive runs as ranges: `[5, 1, 2, 3, 3]` → `1:3,5`.
    /// For APPENDUID, MODIFIED, VANISHED, ESEARCH ALL.
    public static func sorted(_ values: [UInt32]) -> String {
        var unique = values.sorted()
        unique.removeConsecutiveDuplicates()
        return ordered(unique)
    }

    /// In the order given, runs that ascend by exactly one as ranges: `[3, 4, 5, 1, 9, 8]` →
    /// `3:5,1,9,8`. Nothing is reordered or removed. For COPYUID's two sets.
    public static func ordered(_ values: [UInt32]) -> String {
        var out = ""
        var index = values.startIndex
        while index < values.endIndex {
            let first = values[index]
            var last = first
            var next = index + 1
            while next < values.endIndex, last < UInt32.max, values[next] == last + 1 {
                last = values[next]
                next += 1
            }
            if !out.isEmpty { out += "," }
            out += last == first ? String(first) : "\(first):\(last)"
            index = next
        }
        return out
    }
}

extension Array where Element: Equatable {
    fileprivate mutating func removeConsecutiveDuplicates() {
        guard count > 1 else { return }
        var kept = 1
        for index in 1..<count where self[index] != self[kept - 1] {
            self[kept] = self[index]
            kept += 1
        }
        removeLast(count - kept)
    }
}
