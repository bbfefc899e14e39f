/// A record class (CLASS / QCLASS). RFC 1035 §3.2.4. Mail needs only IN.
public struct DNSClass: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The Internet. RFC 1035 §3.2.4.
    public static let internet = DNSClass(rawValue: 1)

    public var description: String { self == .internet ? "IN" : "CLASS\(rawValue)" }  // RFC 3597 §5
}
