/// A record type (TYPE / QTYPE). RFC 1035 §3.2.2, §3.2.3; AAAA from RFC 3596 §2.1.
/// Open-ended: a type we do not know reads as its number.
public struct DNSRecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// A host address, 4 octets. RFC 1035 §3.4.1.
    public static let a = DNSRecordType(rawValue: 1)
    /// An authoritative name server. RFC 1035 §3.3.11.
    public static let ns = DNSRecordType(rawValue: 2)
    /// The canonical name for an alias. RFC 1035 §3.3.1.
    public static let cname = DNSRecordType(rawValue: 5)
    /// The start of a zone of authority; NODATA and NXDOMAIN answers carry one. RFC 1035 §3.3.13.
    public static let soa = DNSRecordType(rawValue: 6)
    /// Mail exchange. RFC 1035 §3.3.9.
    public static let mx = DNSRecordType(rawValue: 15)
    /// Text strings. RFC 1035 §3.3.14.
    public static let txt = DNSRecordType(rawValue: 16)
    /// An IPv6 host address, 16 octets. RFC 3596 §2.1.
    public static let aaaa = DNSRecordType(rawValue: 28)
    /// The EDNS0 pseudo-record. RFC 6891 §6.1.1.
    public static let opt = DNSRecordType(rawValue: 41)

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .opt: "OPT"
        default: "TYPE\(rawValue)"  // RFC 3597 §5
        }
    }
}
