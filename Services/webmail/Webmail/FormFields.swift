import Foundation

/// The fields of a form (`application/x-www-form-urlencoded`, WHATWG URL §5.1) in order; a
/// name may come many times (the checked messages of a list).
struct FormFields: Sendable {
    let fields: [(name: String, value: String)]

    init(_ body: String) {
        fields = body.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.flatMap(Self.decode) else { return nil }
            return (name, parts.count > 1 ? Self.decode(parts[1]) ?? "" : "")
        }
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// `+` is a space, then percent-decoding; nil for a broken escape.
    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
