extension FixedWidthInteger {
    /// Decimal digits only, without going through `String`: the numbers of the text listings
    /// (`MessageListText`, `MessageColumns`), read a hundred thousand at a time. nil for
    /// anything else, an empty run, or a value that overflows.
    init?(decimalDigits digits: some Collection<UInt8>) {
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        var value: Self = 0
        for digit in digits {
            guard (0x30...0x39).contains(digit) else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Self(digit - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        self = value
    }
}

extension Double {
    /// A listing's internal date, `1795717913.25` or `1795717913`, without going through
    /// `String`; anything else (an exponent, a sign) through `Double(String)`.
    init?(decimalText text: some Collection<UInt8>) {
        let dot = text.firstIndex(of: 0x2E) ?? text.endIndex
        let fraction = dot == text.endIndex ? text[dot...] : text[text.index(after: dot)...]
        guard let whole = UInt64(decimalDigits: text[..<dot]), fraction.count <= 9,
            let digits = fraction.isEmpty ? 0 : UInt64(decimalDigits: fraction)
        else {
            guard let value = Double(String(decoding: text, as: UTF8.self)) else { return nil }
            self = value
            return
        }
        var scale = 1.0
        for _ in 0..<fraction.count { scale *= 10 }
        self = Double(whole) + Double(digits) / scale
    }
}
