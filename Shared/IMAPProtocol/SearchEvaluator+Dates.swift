import InternetMessage

/// Days for BEFORE/ON/SINCE (internal date, UTC) and SENTBEFORE/SENTON/SENTSINCE (the day
/// written in the Date: field). RFC 9051 §6.4.4. Days count from 1970-01-01.
enum SearchDates {
    static func day(_ date: IMAPDate) -> Int {
        daysFromCivil(year: date.year, month: date.month, day: date.day)
    }

    /// The UTC day of an instant in seconds since 1970; days before 1970 are negative.
    static func utcDay(_ seconds: Double) -> Int {
        let days = (seconds / 86_400).rounded(.down)
        guard days.isFinite else { return seconds > 0 ? Int.max : Int.min }
        // Beyond ±2^50 days no IMAP date (years 0…9999) compares differently.
        return Int(max(-0x4_0000_0000_0000, min(0x4_0000_0000_0000, days)))
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        MessageDate.daysSince1970(year: year, month: month, day: day)
    }

    /// The calendar day a Date: field value names, its time and zone ignored (RFC 9051 §6.4.4
    /// "disregarding time and timezone"): `Mon, 1 Jan 2024 23:30:00 -0800` is 1-Jan-2024,
    /// though that instant is 2-Jan in UTC. Read by `MessageDate`, with its tolerance
    /// (obsolete years, comments, asctime order), so "usable" means the same as for the
    /// stored date; nil when it cannot read the value.
    static func writtenDay(_ value: String) -> Int? {
        MessageDate.fields(value)?.daysSince1970
    }
}
