#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The recursive server the relay asks: `BUZON_DNS_SERVER`, else the first
/// `nameserver` of /etc/resolv.conf, else the local machine (resolv.conf(5): "If no
/// nameserver entries are present, the default is to use the name server on the local
/// machine").
///
/// ```
/// BUZON_DNS_SERVER=127.0.0.1:5353   BUZON_DNS_SERVER=[::1]:53   BUZON_DNS_SERVER=dns.internal
/// ```
public struct DNSServerConfig: Sendable, Hashable, CustomStringConvertible {
    /// An IP address or a host name (resolved by the system when the resolver connects).
    public var host: String
    public var port: Int

    public init(host: String, port: Int = DNSDefaults.port) {
        self.host = host
        self.port = port
    }

    public enum ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The value is not `host`, `host:port`, `[v6]` or `[v6]:port` with a port 1–65535.
        case invalid(String)

        public var description: String {
            switch self {
            case .invalid(let value): "BUZON_DNS_SERVER=\(value) is not host, host:port, [ipv6] or [ipv6]:port"
            }
        }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The server from `BUZON_DNS_SERVER`'s value; when it is nil or blank, from
    /// `resolvConf` (the text of /etc/resolv.conf, read when not given).
    /// Throws for a value that is set but malformed: mail must not go to a server the
    /// operator did not mean.
    public static func fromEnvironment(_ value: String?, resolvConf: String? = nil) throws(ParseError) -> DNSServerConfig {
        let trimmed = value?.trimmingWhitespace ?? ""
        if !trimmed.isEmpty { return try parse(trimmed) }
        let text = resolvConf ?? readFile("/etc/resolv.conf") ?? ""
        return fromResolvConf(text) ?? DNSServerConfig(host: "127.0.0.1")
    }

    /// `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (more than one
    /// colon, so no port), as in BIND's and Unbound's forwarder syntax.
    public static func parse(_ value: String) throws(ParseError) -> DNSServerConfig {
        func port(_ text: Substring) throws(ParseError) -> Int {
            guard let port = Int(text), (1...65_535).contains(port) else { throw .invalid(value) }
            return port
        }
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]") else { throw .invalid(value) }
            let host = value[value.index(after: value.startIndex)..<close]
            let rest = value[value.index(after: close)...]
            guard isIPv6(host) else { throw .invalid(value) }
            if rest.isEmpty { return DNSServerConfig(host: String(host)) }
            guard rest.hasPrefix(":") else { throw .invalid(value) }
            return DNSServerConfig(host: String(host), port: try port(rest.dropFirst()))
        }
        let colons = value.filter { $0 == ":" }.count
        if colons > 1 {  // a bare IPv6 address
            guard isIPv6(value[...]) else { throw .invalid(value) }
            return DNSServerConfig(host: value)
        }
        guard !value.contains(where: { $0 == "[" || $0 == "]" || $0 == " " || $0 == "/" }) else { throw .invalid(value) }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty else { throw .invalid(value) }
        if parts.count == 1 { return DNSServerConfig(host: value) }
        return DNSServerConfig(host: String(host), port: try port(parts[1]))
    }

    /// Hex digits, colons and dots (an embedded IPv4), at least two colons, and an
    /// optional `%zone`: the shape of RFC 4291 §2.2 text, checked fully when connecting.
    private static func isIPv6(_ text: Substring) -> Bool {
        let address = text.prefix { $0 != "%" }
        return address.filter { $0 == ":" }.count >= 2 && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
            && (address.count == text.count || text.count > address.count + 1)
    }

    /// The first `nameserver` line of a resolv.conf text, port 53. resolv.conf(5):
    /// keyword and value separated by white space; `#` or `;` in the first column
    /// starts a comment. A zone index (`fe80::1%eth0`) is kept for the system to read.
    public static func fromResolvConf(_ text: String) -> DNSServerConfig? {
        for line in text.split(whereSeparator: \.isNewline) {
            guard !line.hasPrefix("#"), !line.hasPrefix(";") else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 2, words[0] == "nameserver" { return DNSServerConfig(host: String(words[1])) }
        }
        return nil
    }

    private static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {  // resolv.conf is a few lines; bound a hostile one
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
