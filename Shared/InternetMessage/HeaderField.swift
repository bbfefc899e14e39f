/// One header field, RFC 5322 §2.2: `field-name ":" unstructured-or-structured CRLF`.
///
/// ```
/// Subject: =?utf-8?q?Caf=C3=A9?=
///  menu
/// ```
/// gives `name` "Subject", `rawValue` "=?utf-8?q?Caf=C3=A9?= menu" (unfolded: the line
/// break before the folding whitespace removed, RFC 5322 §2.2.3) and `decodedValue`
/// "Café menu".
public struct HeaderField: Codable, Sendable, Hashable {
    /// The field name as written (compare case-insensitively).
    public var name: String
    /// The unfolded value with leading and trailing whitespace trimmed; bytes that
    /// are not UTF-8 become U+FFFD. Truncated at `MessageLimits.maxHeaderFieldLength`.
    public var rawValue: String
    /// The whole field, continuation lines and final line break included.
    public var range: ByteRange

    public init(name: String, rawValue: String, range: ByteRange) {
        self.name = name
        self.rawValue = rawValue
        self.range = range
    }

    /// The value with RFC 2047 encoded-words decoded.
    public var decodedValue: String { EncodedWord.decode(rawValue) }

    /// Whether the field is called `other`, ignoring ASCII case (RFC 5322 §1.2.2).
    public func hasName(_ other: String) -> Bool {
        name.utf8.count == other.utf8.count
            && ByteScan.asciiLowercased(name) == ByteScan.asciiLowercased(other)
    }
}

extension Array where Element == HeaderField {
    /// The fields called `name` (case-insensitive), in order.
    public func named(_ name: String) -> [HeaderField] {
        filter { $0.hasName(name) }
    }

    /// The first field called `name` (case-insensitive).
    public func first(named name: String) -> HeaderField? {
        first { $0.hasName(name) }
    }
}
