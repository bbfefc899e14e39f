/// Secrets compared without an early exit, so that the time a comparison takes tells nothing
/// of how much of a secret matched: the store's bearer token, its authentication cache's
/// digests, the webmail's CSRF tokens.
public enum ConstantTime {
    /// Every byte of `expected` is looked at whatever `given` is; false for different lengths.
    public static func equal(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for i in 0..<expected.count {
            difference |= (i < given.count ? given[i] : 0) ^ expected[i]
        }
        return difference == 0
    }
}
