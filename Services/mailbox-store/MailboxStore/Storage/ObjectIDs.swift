/// New RFC 8474 object ids: a letter saying what the id names (`F` mailbox, `M` message, `T`
/// thread, as in the RFC's examples) and 96 random bits in hex — inside `objectid`'s
/// `ALPHA / DIGIT / "_" / "-"` (RFC 8474 §7), unique without asking the database, and telling
/// nothing of how many objects exist or in what order they came (RFC 8474 §8). The migration
/// `v10-objectid` makes the same shape with SQLite's `randomblob(12)`.
enum ObjectIDs {
    static func mailbox() -> String { make("F") }
    static func email() -> String { make("M") }
    static func thread() -> String { make("T") }

    private static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        var out = prefix
        for _ in 0..<24 { out.append(digits[Int(generator.next() % 16)]) }
        return out
    }
}
