/// Token comparison (tokens are made by `WebSessionLimits.newToken`, the store's too).
enum FormToken {
    /// Compares without an early exit, so that timing does not tell how much of a token matched.
    static func equal(_ given: String?, _ expected: String) -> Bool {
        guard let given, !expected.isEmpty else { return false }
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<b.count { difference |= (i < a.count ? a[i] : 0) ^ b[i] }
        return difference == 0
    }
}
