import StoreAPI

/// A token a request carries compared with the one expected (`ConstantTime`); none given,
/// or none expected, is never equal.
enum FormToken {
    static func equal(_ given: String?, _ expected: String) -> Bool {
        guard let given, !expected.isEmpty else { return false }
        return ConstantTime.equal(Array(given.utf8), Array(expected.utf8))
    }
}
