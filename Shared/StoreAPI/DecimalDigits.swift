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
