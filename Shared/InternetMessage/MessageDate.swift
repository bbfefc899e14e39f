import Foundation

/// The RFC 5322 §3.3 date-time, read tolerantly.
///
/// ```
/// date-time = [ day-of-week "," ] date time [CFWS]
/// date      = day month year
/// time      = time-of-day zone
/// ```
/// Accepted as well: the obsolete forms of RFC 5322 §4.3 (two- and three-digit
/// years, alphabetic zones, comments and whitespace anywhere, a day-of-week
/// without its comma), missing seconds, a missing zone (taken as UTC), `-`
/// between date items, and asctime's order (`Mon Jan  1 10:00:00 2024`).
public enum MessageDate {
    private enum Token: Equatable {
        case word(String)  // lower-cased letters
        case number(Int, digits: Int)
        case colon
        case plus
        case minus
    }

    /// A date-time's fields as written, before its zone is applied: what IMAP SEARCH's
    /// SENTBEFORE/SENTON/SENTSINCE compare (RFC 9051 §6.4.4, "disregarding time and
    /// timezone").
    public struct Fields: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int
        /// Seconds east of Greenwich: `-0800` is -28800.
        public var zoneOffset: Int

        /// The day written, counted from 1970-01-01 (negative before).
        public var daysSince1970: Int { MessageDate.daysSince1970(year: year, month: month, day: day) }

        /// The instant, in seconds since 1970, the zone taken into account.
        public var secondsSince1970: Int {
            daysSince1970 * 86_400 + hour * 3_600 + minute * 60 + second - zoneOffset
        }
    }

    public static func parse(_ s: String) -> Date? {
        fields(s).map { Date(timeIntervalSince1970: TimeInterval($0.secondsSince1970)) }
    }

    /// The fields of a date-time, nil where `parse` gives nil.
    public static func fields(_ s: String) -> Fields? {
        let tokens = tokenize(s)
        var index = 0
        func peek() -> Token? { index < tokens.count ? tokens[index] : nil }

        if case .word(let word)? = peek(), weekday(word) { index += 1 }

        var day: Int?
        var month: Int?
        var year: Int?
        // RFC 5322 order "1 Jan 2024", or asctime "Jan 1 10:00:00 2024".
        if case .number(let value, _)? = peek() {
            day = value
            index += 1
            skipMinus(&index, tokens)
            if case .word(let word)? = peek() { month = monthNumber(word) }
            index += 1
            skipMinus(&index, tokens)
            if case .number(let value, let digits)? = peek() {
                year = fullYear(value, digits: digits)
                index += 1
            }
        } else if case .word(let word)? = peek(), let number = monthNumber(word) {
            month = number
            index += 1
            if case .number(let value, _)? = peek() {
                day = value
                index += 1
            }
        }
        guard let day0 = day, let month0 = month else { return nil }

        var hour = 0
        var minute = 0
        var second = 0
        if case .number(let h, _)? = peek(),
            index + 1 < tokens.count, tokens[index + 1] == .colon,
            index + 2 < tokens.count, case .number(let m, _) = tokens[index + 2]
        {
            hour = h
            minute = m
            index += 3
            if index + 1 < tokens.count, tokens[index] == .colon, case .number(let sec, _) = tokens[index + 1] {
                second = sec
                index += 2
            }
        }
        if year == nil, case .number(let value, let digits)? = peek() {
            year = fullYear(value, digits: digits)  // asctime puts the year last
            index += 1
        }
        guard let year0 = year else { return nil }

        var offset = 0
        switch peek() {
        case .plus?, .minus?:
            let sign = peek() == .minus ? -1 : 1
            index += 1
            if case .number(let value, let digits)? = peek() {
                // RFC 5322 §3.3: zone = ("+" / "-") 4DIGIT, hhmm.
                let (h, m) = digits <= 2 ? (value, 0) : (value / 100, value % 100)
                guard h <= 99, m < 60 else { return nil }
                offset = sign * (h * 3600 + m * 60)
            }
        case .word(let name)?:
            offset = zoneOffset(name)
        default:
            break
        }

        guard (1...9999).contains(year0), (1...12).contains(month0),
            day0 >= 1, day0 <= days(inMonth: month0, year: year0),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        return Fields(year: year0, month: month0, day: day0, hour: hour, minute: minute, second: second, zoneOffset: offset)
    }

    private static func skipMinus(_ index: inout Int, _ tokens: [Token]) {
        if index < tokens.count, tokens[index] == .minus { index += 1 }
    }

    /// Letters, digit runs, ":", "+" and "-" as tokens; comments (nested, RFC 5322
    /// §3.2.2), whitespace, commas and dots are separators.
    private static func tokenize(_ s: String) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(s.utf8.prefix(256))
        var index = 0
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x28 { depth += 1; index += 1; continue }
            if byte == 0x29 { depth = max(0, depth - 1); index += 1; continue }
            if depth > 0 { index += byte == 0x5C ? 2 : 1; continue }
            switch byte {
            case 0x30...0x39:
                var value = 0
                var digits = 0
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                    if digits < 9 { value = value * 10 + Int(bytes[index] - 0x30) }
                    digits += 1
                    index += 1
                }
                tokens.append(.number(value, digits: digits))
                continue
            case 0x41...0x5A, 0x61...0x7A:
                var word: [UInt8] = []
                while index < bytes.count, (0x41...0x5A).contains(bytes[index]) || (0x61...0x7A).contains(bytes[index]) {
                    word.append(bytes[index] | 0x20)
                    index += 1
                }
                tokens.append(.word(String(decoding: word, as: UTF8.self)))
                continue
            case 0x3A: tokens.append(.colon)
            case 0x2B: tokens.append(.plus)
            case 0x2D: tokens.append(.minus)
            default: break
            }
            index += 1
        }
        return tokens
    }

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func weekday(_ word: String) -> Bool { weekdays.contains(String(word.prefix(3))) && word.count >= 3 }

    private static func monthNumber(_ word: String) -> Int? {
        guard word.count >= 3, let index = months.firstIndex(of: String(word.prefix(3))) else { return nil }
        return index + 1
    }

    /// RFC 5322 §4.3: two-digit years below 50 are 20xx, others 19xx; three-digit years add 1900.
    private static func fullYear(_ value: Int, digits: Int) -> Int {
        switch digits {
        case ...2: return value < 50 ? 2000 + value : 1900 + value
        case 3: return 1900 + value
        default: return value
        }
    }

    /// RFC 5322 §4.3 obs-zone; military letters carry no reliable meaning and
    /// count as -0000, as do unknown names.
    private static func zoneOffset(_ name: String) -> Int {
        let hours: Int
        switch name {
        case "edt": hours = -4
        case "est", "cdt": hours = -5
        case "cst", "mdt": hours = -6
        case "mst", "pdt": hours = -7
        case "pst": hours = -8
        default: hours = 0  // ut, gmt, utc, z, military, unknown
        }
        return hours * 3600
    }

    /// The days in a month of the proleptic Gregorian calendar.
    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    /// IMAP SEARCH counts its days with it too.
    public static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
