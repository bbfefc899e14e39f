/// The RCODE of a response header. RFC 1035 §4.1.1.
///
/// Only NOERROR and NXDOMAIN are answers; the resolver turns the others into
/// temporary `DNSError`s.
public struct DNSResponseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    /// NOERROR: an answer, possibly with no records (NODATA). RFC 1035 §4.1.1.
    public static let noError = DNSResponseCode(rawValue: 0)
    /// FORMERR: the server could not read the query. RFC 1035 §4.1.1.
    public static let formatError = DNSResponseCode(rawValue: 1)
    /// SERVFAIL: the server could not get an answer. RFC 1035 §4.1.1.
    public static let serverFailure = DNSResponseCode(rawValue: 2)
    /// NXDOMAIN (RFC 1035 "Name Error"): the name does not exist. RFC 1035 §4.1.1, RFC 8020.
    public static let nxDomain = DNSResponseCode(rawValue: 3)
    /// NOTIMP: the server does not support the kind of query. RFC 1035 §4.1.1.
    public static let notImplemented = DNSResponseCode(rawValue: 4)
    /// REFUSED: the server will not answer us, by policy. RFC 1035 §4.1.1.
    public static let refused = DNSResponseCode(rawValue: 5)

    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nxDomain: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        default: "RCODE\(rawValue)"
        }
    }
}
