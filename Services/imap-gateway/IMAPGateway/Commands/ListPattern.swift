/// LIST wildcards: `*` matches anything, `%` anything but the hierarchy delimiter. Names
/// match case-sensitively, except INBOX. RFC 9051 §6.3.9
struct ListPattern: Sendable {
    private let pattern: [Character]
    private let delimiter: Character

    /// The reference and the pattern together (RFC 9051 §6.3.9: the reference is a prefix).
    init(reference: String, pattern: String, delimiter: Character) {
        var joined = reference
        if !reference.isEmpty, !pattern.isEmpty, reference.last != delimiter, pattern.first != delimiter { joined.append(delimiter) }
        joined += pattern
        // INBOX in any case is INBOX.
        if joined.uppercased().hasPrefix("INBOX"), joined.count == 5 || Array(joined)[5] == delimiter {
            joined = "INBOX" + joined.dropFirst(5)
        }
        self.pattern = Array(joined)
        self.delimiter = delimiter
    }

    func matches(_ name: String) -> Bool {
        Self.match(pattern[...], Array(name)[...], delimiter)
    }

    /// Dynamic programming over (pattern, name) positions: no recursion, O(p × n) for
    /// names that are short anyway.
    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>, _ delimiter: Character) -> Bool {
        let p = Array(p), s = Array(s)
        // reach[j]: the pattern consumed so far matches s[0..<j].
        var reach = [Bool](repeating: false, count: s.count + 1)
        reach[0] = true
        for token in p {
            var next = [Bool](repeating: false, count: s.count + 1)
            switch token {
            case "*":
                var any = false
                for j in 0...s.count {
                    any = any || reach[j]
                    next[j] = any
                }
            case "%":
                var any = false
                for j in 0...s.count {
                    if j > 0, s[j - 1] == delimiter { any = false }
                    any = any || reach[j]
                    next[j] = any
                }
            default:
                for j in 1...max(1, s.count) where j <= s.count && reach[j - 1] && s[j - 1] == token { next[j] = true }
            }
            reach = next
        }
        return reach[s.count]
    }
}
