extension [UInt8] {
    /// Appends `value`'s decimal digits, written in place: protocol answers and listings write
    /// numbers by the hundred thousand (a FETCH of a big mailbox, a store listing), where a
    /// `String` for each costs more than the rest of the line.
    public mutating func appendDecimal(_ value: UInt64) {
        var width = 1
        var power: UInt64 = 10
        while width < 20 && value >= power {
            width += 1
            power = power &* 10
        }
        let start = count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        var at = start + width - 1
        while rest > 0 {
            self[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            at -= 1
        }
    }
}
