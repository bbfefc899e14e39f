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

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar day a Date: field value names, its time and zone ignored (RFC 9051 §6.4.4
    /// "disregarding time and timezone"): `Mon, 1 Jan 2024 23:30:00 -0800` is 1-Jan-2024,
    /// though that instant is 2-Jan in UTC. Nil when `MessageDate` cannot read the value, so
    /// "usable" means the same as for the stored date.
    static func writtenDay(_ value: String) -> Int? {
        guard MessageDate.parse(value) != nil else { return nil }
        return calendarDate(value).map { daysFromCivil(year: $0.year, month: $0.month, day: $0.day) }
    }

    private enum Token: Equatable {
        case word(String)  // lower-cased letters
        case number(Int, digits: Int)
        case colon
        case minus
    }

    /// Day, month and year of an RFC 5322 §3.3 date-time, read with `MessageDate`'s
    /// tolerance: obsolete two- and three-digit years (§4.3), comments, a weekday with or
    /// without its comma, `-` between date items, and asctime order (`Mon Jan  1 10:00:00 2024`).
    static func calendarDate(_ value: String) -> (year: Int, month: Int, day: Int)? {
        let tokens = tokenize(value)
        var index = 0
        func peek() -> Token? { index < tokens.count ? tokens[index] : nil }
        func skipMinus() { if peek() == .minus { index += 1 } }

        if case .word(let word)? = peek(), word.count >= 3, weekdays.contains(String(word.prefix(3))) { index += 1 }
        var day: Int?, month: Int?, year: Int?
        if case .number(let value, _)? = peek() {
            day = value  // RFC 5322: day month year
            index += 1
            skipMinus()
            if case .word(let word)? = peek() { month = monthNumber(word) }
            index += 1
            skipMinus()
            if case .number(let value, let digits)? = peek() {
                year = fullYear(value, digits: digits)
                index += 1
            }
        } else if case .word(let word)? = peek(), let number = monthNumber(word) {
            month = number  // asctime: month day time year
            index += 1
            if case .number(let value, _)? = peek() {
                day = value
                index += 1
            }
        }
        if year == nil {
            // Skip the time of day; asctime puts the year after it.
            if case .number? = peek(), index + 2 < tokens.count, tokens[index + 1] == .colon,
                case .number = tokens[index + 2]
            {
                index += 3
                if index + 1 < tokens.count, tokens[index] == .colon, case .number = tokens[index + 1] { index += 2 }
            }
            if case .number(let value, let digits)? = peek() { year = fullYear(value, digits: digits) }
        }
        guard let day, let month, let year, (1...9999).contains(year),
            day >= 1, day <= IMAPDate.days(inMonth: month, year: year)
        else { return nil }
        return (year, month, day)
    }

    private static let weekdays: Set = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func monthNumber(_ word: String) -> Int? {
        guard word.count >= 3, let index = months.firstIndex(of: String(word.prefix(3))) else { return nil }
        return index + 1
    }

    /// RFC 5322 §4.3: two-digit years below 50 are 20xx, others 19xx; three digits add 1900.
    private static func fullYear(_ value: Int, digits: Int) -> Int {
        switch digits {
        case ...2: value < 50 ? 2000 + value : 1900 + value
        case 3: 1900 + value
        default: value
        }
    }

    /// Letters, digit runs, ":" and "-" as tokens; comments (nested, RFC 5322 §3.2.2),
    /// whitespace and other punctuation separate them. The first 256 bytes suffice.
    private static func tokenize(_ value: String) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(value.utf8.prefix(256))
        var index = 0
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x28 { depth += 1; index += 1; continue }
            if byte == 0x29 { depth = max(0, depth - 1); index += 1; continue }
            if depth > 0 { index += byte == 0x5C ? 2 : 1; continue }
            switch byte {
            case 0x30...0x39:
                var number = 0, digits = 0
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                    if digits < 9 { number = number * 10 + Int(bytes[index] - 0x30) }
                    digits += 1
                    index += 1
                }
                tokens.append(.number(number, digits: digits))
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
            case 0x2D: tokens.append(.minus)
            default: break
            }
            index += 1
        }
        return tokens
    }
}
