/// Addresses from A and AAAA records as the text the relay connects to.
enum IPAddressText {
    /// `192.0.2.1` for 4 octets; RFC 5952 §4 text for 16 (lower case, no leading
    /// zeros, the longest run of two or more zero groups as `::`, the first if tied);
    /// nil for any other length.
    static func format(_ octets: [UInt8]) -> String? {
        switch octets.count {
        case 4:
            return octets.map(String.init).joined(separator: ".")
        case 16:
            let groups = (0..<8).map { UInt16(octets[2 * $0]) << 8 | UInt16(octets[2 * $0 + 1]) }
            // RFC 5952 §4.2.2–4.2.3: the longest zero run of at least two groups, the first if tied.
            var best: Range<Int>?
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                let start = index
                while index < 8, groups[index] == 0 { index += 1 }
                if index - start >= 2, index - start > (best?.count ?? 0) { best = start..<index }
            }
            let hex = { (range: Range<Int>) in groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
            guard let best else { return hex(0..<8) }
            return hex(0..<best.lowerBound) + "::" + hex(best.upperBound..<8)  // RFC 5952 §4.2.1
        default:
            return nil
        }
    }
}
