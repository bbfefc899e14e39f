import InternetMessage

/// Days for arrival (internal date, UTC) and sent (the day written in the Date: field)
/// comparisons. RFC 9051 §6.4.4. Days count from 1970-01-01.
public enum SearchDates {
    /// `YYYY-MM-DD` (the form `DayComparison.day` takes) as days since 1970; nil if it is
    /// not a real day of years 0…9999.
    public static func day(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= MessageDate.days(inMonth: month, year: year)
        else { return nil }
        return MessageDate.daysSince1970(year: year, month: month, day: day)
    }

    /// The UTC day of an instant in seconds since 1970; days before 1970 are negative.
    public static func utcDay(_ seconds: Double) -> Int {
        let days = (seconds / 86_400).rounded(.down)
        guard days.isFinite else { return seconds > 0 ? Int.max : Int.min }
        // Beyond ±2^50 days no IMAP date (years 0…9999) compares differently.
        return Int(max(-0x4_0000_0000_0000, min(0x4_0000_0000_0000, days)))
    }

    /// The calendar day a Date: field value names, its time and zone ignored (RFC 9051 §6.4.4
    /// "disregarding time and timezone"): `Mon, 1 Jan 2024 23:30:00 -0800` is 1-Jan-2024,
    /// though that instant is 2-Jan in UTC. Read by `MessageDate`, with its tolerance
    /// (obsolete years, comments, asctime order), so "usable" means the same as for the
    /// stored date; nil when it cannot read the value.
    public static func writtenDay(_ value: String) -> Int? {
        MessageDate.fields(value)?.daysSince1970
    }
}
