import StoreAPI

/// The search box's syntax, turned into the store's typed query (what IMAP SEARCH uses too):
/// `from:` `to:` `cc:` `subject:` (header contains), `is:unread` `is:read` `is:flagged`,
/// `before:` `after:` (the Date field's day, `YYYY-MM-DD`), `larger:` `smaller:` (bytes, or
/// with `k`/`M`), and any other word as text in the header or body. Values with spaces go in
/// double quotes (`subject:"lunch plans"`); a leading `-` negates a term. Terms are ANDed.
enum SearchSyntax {
    static func query(_ text: String) -> MessageQuery {
        let terms = tokens(text).map(term)
        switch terms.count {
        case 0: return .all
        case 1: return terms[0]
        default: return .and(terms)
        }
    }

    static func term(_ token: String) -> MessageQuery {
        if token.count > 1, token.hasPrefix("-") { return .not(term(String(token.dropFirst()))) }
        guard let colon = token.firstIndex(of: ":") else { return .text(text: token) }
        let key = token[..<colon].lowercased()
        let value = String(token[token.index(after: colon)...])
        switch (key, value.lowercased()) {
        case ("from", _), ("to", _), ("cc", _), ("bcc", _), ("subject", _):
            return .header(name: key.uppercased(), value: value)
        case ("is", "unread"): return .noFlag(name: "\\Seen")
        case ("is", "read"): return .flag(name: "\\Seen")
        case ("is", "flagged"), ("is", "starred"): return .flag(name: "\\Flagged")
        case ("before", _) where isDay(value): return .sent(DayComparison(.before, day: value))
        case ("after", _) where isDay(value): return .sent(DayComparison(.since, day: value))
        case ("larger", _): return size(value).map { .larger(size: $0) } ?? .text(text: token)
        case ("smaller", _): return size(value).map { .smaller(size: $0) } ?? .text(text: token)
        default: return .text(text: token)
        }
    }

    /// Words, a double-quoted run (inside a term too: `subject:"a b"`) kept as one.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        for c in text {
            if c == "\"" {
                quoted.toggle()
            } else if c.isWhitespace && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        // A search is a few terms; a page of them is not a search (and would be a slow one).
        return Array(tokens.prefix(16))
    }

    static func isDay(_ value: String) -> Bool {
        let parts = value.split(separator: "-")
        return parts.count == 3 && parts.map(\.count) == [4, 2, 2] && parts.allSatisfy { $0.allSatisfy { ("0"..."9").contains($0) } }
    }

    /// `2000`, `20k`, `1M` (k = 1000, as the list shows sizes).
    static func size(_ value: String) -> UInt64? {
        let multiplier: UInt64
        var digits = Substring(value)
        switch value.last {
        case "k", "K": multiplier = 1000
        case "m", "M": multiplier = 1_000_000
        default: multiplier = 1
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard let number = UInt64(digits), number <= UInt64.max / multiplier else { return nil }
        return number * multiplier
    }
}
