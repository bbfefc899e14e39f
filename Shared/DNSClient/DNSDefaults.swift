/// A small DNS stub resolver for the queue-relay: MX, A and AAAA lookups (RFC 5321 §5.1)
/// against one recursive server. The wire format (`DNSMessage` and its parts) is pure:
/// bytes in, values out; values in, bytes out. Only `DNSResolver` opens sockets.
///
/// Every limit the client keeps, as a named default with its reason.
public enum DNSDefaults {
    /// The DNS port. RFC 1035 §4.2.1.
    public static let port = 53  // RFC 1035 §4.2.1

    /// Octets of a name on the wire, length octets and the root label included. RFC 1035 §2.3.4.
    public static let nameLength = 255  // RFC 1035 §2.3.4

    /// Octets of one label. RFC 1035 §2.3.4.
    public static let labelLength = 63  // RFC 1035 §2.3.4

    /// Compression pointers followed while reading one name. Pointers must also point
    /// backwards (RFC 1035 §4.1.4 "a prior occurrence"), which alone rules out loops;
    /// this cap bounds the work a hostile message can cause per name. A 255-octet name
    /// has at most 127 labels, so no honest name needs more pointers than that.
    public static let compressionPointers = 127

    /// A UDP message without EDNS0. RFC 1035 §2.3.4; a larger answer sets TC (§4.1.1).
    public static let udpMessageSize = 512  // RFC 1035 §2.3.4

    /// The largest message over TCP: the 2-octet length prefix. RFC 1035 §4.2.2.
    public static let tcpMessageSize = 65_535  // RFC 1035 §4.2.2

    /// CNAMEs followed within one answer. RFC 1034 §3.6.2 forbids chains only by
    /// advice; resolvers bound them (BIND: 16, Unbound: 11). A chain longer than this is
    /// a misconfiguration, reported as a temporary failure so the relay retries later.
    public static let cnameChainLength = 8

    /// How long one try waits for the answer. RFC 1536 §1 advises against short
    /// fixed timeouts; a recursive server on the local network answers in milliseconds
    /// from cache and rarely needs more than a second for a cold lookup.
    public static let timeout: Duration = .seconds(2)

    /// Tries over UDP, each with a fresh socket and query ID (RFC 5452 §9.2), before
    /// the lookup fails as temporary. glibc's resolver default is 2; 3 rides out a lost
    /// datagram and a slow upstream.
    public static let attempts = 3
}
