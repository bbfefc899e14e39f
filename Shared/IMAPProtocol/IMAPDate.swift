import InternetMessage
import LineFraming

/// A calendar date as SEARCH BEFORE/ON/SINCE and their SENT variants take it. RFC 9051 §9.
///
/// ```
/// date       = date-text / DQUOTE date-text DQUOTE
/// date-text  = date-day "-" date-month "-" date-year
/// date-day   = 1*2DIGIT
/// date-month = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" /
///              "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
/// date-year  = 4DIGIT
/// ```
/// `C: a1 SEARCH SINCE 1-Feb-1994`
public struct IMAPDate: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Nil unless the day exists in that month.
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    static func days(inMonth month: Int, year: Int) -> Int { MessageDate.days(inMonth: month, year: year) }

    static func monthName(_ month: Int) -> String {
        let name = months[month - 1]
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    /// `1-Feb-1994`, unquoted as `date-text`.
    public var description: String { "\(day)-\(Self.monthName(month))-\(String(year).leftPadded(to: 4))" }
    public var encoded: [UInt8] { Array(description.utf8) }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension IMAPCursor {
    /// A run of exactly `count` digits (or 1…count when `atMost`), as a number.
    mutating func digits(_ count: Int, atMost: Bool = false) throws(IMAPSyntaxError) -> Int {
        var value = 0
        var taken = 0
        while taken < count, let b = peek, ByteClass.isDigit(b) {
            value = value * 10 + Int(b - 0x30)
            taken += 1
            _ = take(b)
        }
        guard taken == count || (atMost && taken > 0) else { throw Self.fail("expected \(count) digits") }
        return value
    }

    /// date-month. RFC 9051 §9
    mutating func month() throws(IMAPSyntaxError) -> Int {
        var name: [UInt8] = []
        for _ in 0..<3 {
            guard let b = peek, ByteClass.isAlpha(b) else { break }
            _ = take(b)
            name.append(b | 0x20)
        }
        guard let index = IMAPDate.months.firstIndex(of: String(decoding: name, as: UTF8.self)) else {
            throw Self.fail("bad month")
        }
        return index + 1
    }

    /// date = date-text / DQUOTE date-text DQUOTE. RFC 9051 §9
    mutating func date() throws(IMAPSyntaxError) -> IMAPDate {
        let quoted = take(ByteClass.quote)
        let day = try digits(2, atMost: true)
        try expect(ByteClass.hyphen)
        let month = try month()
        try expect(ByteClass.hyphen)
        let year = try digits(4)
        if quoted { try expect(ByteClass.quote) }
        guard let date = IMAPDate(year: year, month: month, day: day) else { throw Self.fail("no such date") }
        return date
    }
}

extension IMAPDate {
    /// Parses a whole `date` as sent: `1-Feb-1994` or `"1-Feb-1994"`.
    public init(parsing text: String) throws(IMAPSyntaxError) {
        self = try IMAPCursor.whole(Array(text.utf8)) { c throws(IMAPSyntaxError) in try c.date() }
    }
}
