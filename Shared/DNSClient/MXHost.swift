/// One mail exchanger of a domain: where to connect, and in which order.
/// RFC 5321 §5.1: lower preference first.
public struct MXHost: Sendable, Hashable, CustomStringConvertible {
    public var preference: UInt16
    public var host: String

    public init(preference: UInt16, host: String) {
        self.preference = preference
        self.host = host
    }

    public var description: String { "\(preference) \(host)" }
}
