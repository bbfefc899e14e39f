/// What an MX lookup means for delivery to a domain. RFC 5321 §5.1, RFC 7505.
public enum MXResult: Sendable, Hashable {
    /// The exchangers to try in order: ascending preference, equal preferences in
    /// random order (RFC 5321 §5.1 "the sender-SMTP MUST randomize them").
    case hosts([MXHost])
    /// NOERROR without MX records (NODATA): the domain itself is the implicit MX with
    /// preference 0; look up its A and AAAA records. RFC 5321 §5.1.
    case noMX
    /// A null MX, preference 0 and exchange `.`: the domain accepts no mail. The relay
    /// fails permanently (RFC 7505 §4.1, 556 5.1.10) and must not fall back to A/AAAA.
    case nullMX
    /// NXDOMAIN: the domain does not exist. Permanent (RFC 5321 §5.1, RFC 3463 5.1.2).
    case noSuchDomain

    /// Orders equal preferences within one group. The resolver's default shuffles at
    /// random; tests inject a fixed order.
    public typealias Shuffle = @Sendable ([MXHost]) -> [MXHost]

    /// The default: a random order among equals. RFC 5321 §5.1
    public static let randomShuffle: Shuffle = { $0.shuffled() }

    /// The result of an MX query's response (NOERROR or NXDOMAIN; the resolver turns
    /// other RCODEs into errors first). Exchanges that cannot be host names (labels
    /// holding dots or non-ASCII octets) are skipped as unusable; when only those
    /// remain the result is `.hosts([])`, which RFC 5321 §5.1 says to report as an
    /// error ("MX records are present, but none of them are usable").
    public init(response: DNSMessage, domain: DNSName, shuffle: Shuffle = MXResult.randomShuffle) throws(DNSError) {
        guard response.header.responseCode != .nxDomain else {  // RFC 1035 §4.1.1 Name Error
            self = .noSuchDomain
            return
        }
        let records = try response.answerRecords(for: domain, type: .mx).records
        let exchanges = records.compactMap { record -> (UInt16, DNSName)? in
            guard case .mx(let preference, let exchange) = record.data else { return nil }
            return (preference, exchange)
        }
        guard !exchanges.isEmpty else {
            self = .noMX  // RFC 5321 §5.1: the implicit MX
            return
        }
        // RFC 7505 §3: the null MX is the domain's only MX, preference 0, exchange ".". A lone "."
        // with another preference names no host either, so it means the same. A "." next to real
        // exchangers breaks §3; it is dropped and the others used.
        if exchanges.count == 1, exchanges[0].1.isRoot {
            self = .nullMX
            return
        }
        let hosts = exchanges.compactMap { preference, exchange in
            exchange.hostName.map { MXHost(preference: preference, host: $0) }
        }
        self = .hosts(Self.order(hosts, shuffle: shuffle))
    }

    /// Ascending preference, each group of equal preference passed through `shuffle`.
    /// RFC 5321 §5.1
    public static func order(_ hosts: [MXHost], shuffle: Shuffle = MXResult.randomShuffle) -> [MXHost] {
        let groups = Dictionary(grouping: hosts, by: \.preference)
        return groups.keys.sorted().flatMap { preference in
            let group = groups[preference] ?? []
            return group.count > 1 ? shuffle(group) : group
        }
    }
}
