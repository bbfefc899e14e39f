import InternetMessage

/// An internal date from a point in time, in UTC, as FETCH INTERNALDATE sends it.
/// RFC 9051 §7.5.2, §9.
///
/// ```
/// date-time      = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
/// date-day-fixed = (SP DIGIT) / 2DIGIT
/// ```
/// `S: * 1 FETCH (INTERNALDATE " 7-Feb-1994 21:52:25 +0000")`
extension IMAPDateTime {
    /// Seconds since 1970-01-01T00:00:00Z, in zone `+0000`; fractions are dropped, and times
    /// outside years 0…9999 (or not finite) are clamped to that range, which the grammar's
    /// `4DIGIT` year can carry.
    public init(secondsSince1970 seconds: Double) {
        let first = -62_167_219_200.0  // 0000-01-01T00:00:00Z
        let last = 253_402_300_799.0  // 9999-12-31T23:59:59Z
        let clamped = seconds.isNaN ? 0 : min(max(seconds.rounded(.down), first), last)
        let total = Int64(clamped)
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secondOfDay = Int(total - days * 86_400)
        let (year, month, day) = Self.civil(daysSince1970: days)
        // Both initializers succeed: the values are in range by construction.
        let date = IMAPDate(year: year, month: month, day: day) ?? IMAPDate(year: 1970, month: 1, day: 1)!
        self.init(date: date, hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60, zoneMinutes: 0)!
    }

    /// The instant as seconds since 1970 (APPEND's date-time becomes the internal date): the
    /// inverse of `init(secondsSince1970:)`, with the zone taken into account.
    public var secondsSince1970: Double {
        let days = MessageDate.daysSince1970(year: date.year, month: date.month, day: date.day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - zoneMinutes * 60)
    }

    /// The proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days`).
    static func civil(daysSince1970: Int64) -> (year: Int, month: Int, day: Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
