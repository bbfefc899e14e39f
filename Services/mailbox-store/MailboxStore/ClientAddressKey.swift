#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The client the login policy counts failures under, made from the address a gateway saw.
///
/// An IPv6 client counts by its /64: a home line or a server gets at least that many addresses
/// (RFC 4291 §2.5.1: 64-bit interface identifiers; RFC 6177 §2 gives end sites /48 to /64), so
/// counting the full address would let one subscriber take a fresh one per attempt and never
/// be slowed or locked. Dovecot groups too (a /48, `PENALTY_IPV6_MASK_BITS`); a /64 never puts
/// two subscribers of a well-run network together.
///
/// - IPv4 and `::1`: the address itself, in its usual text form.
/// - an IPv4-mapped address `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2, what a dual-stack socket
///   reports for an IPv4 client): the IPv4 address, so the client counts once either way.
/// - any other IPv6 address, with or without a zone id (`%eth0`, RFC 4007 §11): its /64 as
///   `2001:db8:1:2::/64`.
/// - anything else ("unknown", a name): kept as given, counted as its own client.
enum ClientAddressKey {
    static let ipv6PrefixBits = 64

    static func key(_ address: String) -> String {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return text(family: AF_INET, &v4) ?? address }
        // The zone names an interface of this host, not the client.
        let unzoned = address.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, unzoned, &v6) == 1 else { return address }
        var bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        if bytes == Array(repeating: 0, count: 15) + [1] { return "::1" }
        for index in (ipv6PrefixBits / 8)..<16 { bytes[index] = 0 }
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        guard let prefix = text(family: AF_INET6, &v6) else { return address }
        return prefix + "/\(ipv6PrefixBits)"
    }

    /// `inet_ntop`: the shortest usual form (RFC 5952 for IPv6).
    private static func text<Address>(family: Int32, _ address: inout Address) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, &address, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
