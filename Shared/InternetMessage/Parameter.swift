/// A MIME parameter (RFC 2045 §5.1 `parameter := attribute "=" value`), after
/// RFC 2231 continuations are joined and charsets decoded.
///
/// JSON form is the pair `[name, value]`.
public struct Parameter: Codable, Sendable, Hashable {
    /// Lower-cased attribute without any RFC 2231 `*` suffix, e.g. "filename".
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        name = try container.decode(String.self)
        value = try container.decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(name)
        try container.encode(value)
    }
}

extension Array where Element == Parameter {
    /// The value of the parameter called `name` (case-insensitive).
    public func value(of name: String) -> String? {
        let wanted = ByteScan.asciiLowercased(name)
        return first { $0.name == wanted }?.value
    }
}
