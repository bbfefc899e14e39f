import LineFraming

/// An internal date as APPEND takes it: a date, a time and a zone offset. RFC 9051 §9.
///
/// ```
/// date-time      = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
/// date-day-fixed = (SP DIGIT) / 2DIGIT
/// time           = 2DIGIT ":" 2DIGIT ":" 2DIGIT
/// zone           = ("+" / "-") 4DIGIT         ; hours and minutes east of Greenwich
/// ```
/// `C: a1 APPEND INBOX (\Seen) " 7-Feb-1994 21:52:25 -0800" {310}`
public struct IMAPDateTime: Sendable, Hashable, CustomStringConvertible {
    public let date: IMAPDate
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Minutes east of Greenwich: `-0800` is -480.
    public let zoneMinutes: Int

    public init?(date: IMAPDate, hour: Int, minute: Int, second: Int, zoneMinutes: Int) {
        // 60 for a leap second; zones within ±99:59 as the grammar allows.
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            abs(zoneMinutes) <= 99 * 60 + 59
        else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.zoneMinutes = zoneMinutes
    }

    /// ` 7-Feb-1994 21:52:25 -0800`, without the quotes.
    public var description: String {
        func two(_ n: Int) -> String { String(n).leftPadded(to: 2) }
        let zone = abs(zoneMinutes)
        return "\(String(date.day).leftPadded(to: 2, with: " "))-\(IMAPDate.monthName(date.month))-"
            + "\(String(date.year).leftPadded(to: 4)) \(two(hour)):\(two(minute)):\(two(second)) "
            + "\(zoneMinutes < 0 ? "-" : "+")\(two(zone / 60))\(two(zone % 60))"
    }

    /// The quoted form on the wire.
    public var encoded: [UInt8] { IMAPString.quoted(Array(description.utf8)) }
}

extension IMAPCursor {
    /// date-time. RFC 9051 §9
    mutating func dateTime() throws(IMAPSyntaxError) -> IMAPDateTime {
        try expect(ByteClass.quote)
        let day = take(ByteClass.space) ? try digits(1) : try digits(2)  // date-day-fixed
        try expect(ByteClass.hyphen)
        let month = try month()
        try expect(ByteClass.hyphen)
        let year = try digits(4)
        try space()
        let hour = try digits(2)
        try expect(ByteClass.colon)
        let minute = try digits(2)
        try expect(ByteClass.colon)
        let second = try digits(2)
        try space()
        let sign: Int
        if take(ByteClass.plus) { sign = 1 } else { try expect(ByteClass.hyphen); sign = -1 }
        let zone = try digits(4)
        try expect(ByteClass.quote)
        guard zone % 100 < 60, let date = IMAPDate(year: year, month: month, day: day),
            let value = IMAPDateTime(
                date: date, hour: hour, minute: minute, second: second, zoneMinutes: sign * (zone / 100 * 60 + zone % 100))
        else { throw Self.fail("no such date-time") }
        return value
    }
}

extension IMAPDateTime {
    /// Parses a whole `date-time` as sent, quotes included.
    public init(parsing text: String) throws(IMAPSyntaxError) {
        self = try IMAPCursor.whole(Array(text.utf8)) { c throws(IMAPSyntaxError) in try c.dateTime() }
    }
}
