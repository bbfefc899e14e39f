import DNSClient
import Foundation
import ServiceKit

/// Settings of the queue-relay, from `BUZON_*` variables or the matching flags.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_STORE_URL` | `http://127.0.0.1:8025` | the mailbox-store |
/// | `BUZON_INTERNAL_TOKEN` (or `_FILE`) | required | the store's bearer token |
/// | `BUZON_HOSTNAME` | `localhost` | our name in EHLO |
/// | `BUZON_RELAY_WORKER_ID` | host name + pid | names this worker's leases |
/// | `BUZON_RELAY_CONCURRENCY` | `10` | messages delivered at once |
/// | `BUZON_RELAY_POLL` | `1` | seconds between looks at the queue when it is idle |
/// | `BUZON_RELAY_LEASE_TTL` | `30` | seconds a lease lasts unless renewed (renewed every third of it): how soon a dead worker's entries are taken over |
/// | `BUZON_RELAY_REPORT_RETRY` | `120` | seconds a failed report of an outcome is retried (the store restarting) before the entry is left to its lease |
/// | `BUZON_RETRY_INTERVAL` | `1800` | seconds between attempts of a deferred message |
/// | `BUZON_MAX_ATTEMPTS` | `241` | attempts before giving up (5 days at 30 minutes, RFC 5321 §4.5.4.1) |
/// | `BUZON_DELAY_WARNING` | `14400` | seconds before a "still trying" notice; 0 turns it off |
/// | `BUZON_RELAY_ROUTES` | none | static routes: `other.test=127.0.0.1:2626,*.corp.test=mx.corp.test:25` |
/// | `BUZON_DNS_SERVER` | `/etc/resolv.conf` | `host:port` of the DNS server for MX lookups |
/// | `BUZON_RELAY_SMTP_PORT` | `25` | port of destination servers found through DNS |
/// | `BUZON_RELAY_TLS_VERIFY` | none | domains whose servers must offer STARTTLS with a verified certificate: `bank.test,*.corp.test` |
/// | `BUZON_RELAY_CA_FILE` | system roots | PEM trust roots for verified TLS |
/// | `BUZON_RELAY_TIMEOUT` | per step | seconds to wait at every step, the end of DATA twice as long; unset: RFC 5321 §4.5.3.2's (greeting, MAIL, RCPT 5 min; DATA 2 min; a block of content 3 min; the end of DATA 10 min) |
/// | `BUZON_RELAY_ADMIN_PORT` | `9026` | /healthz, /readyz, /metrics |
/// | `BUZON_RELAY_ADMIN_HOST` | `127.0.0.1` | address of the admin port |
/// | `BUZON_LOG_LEVEL` | `info` | |
public struct RelayConfiguration: ServiceConfiguration {
    public var storeURL = "http://127.0.0.1:8025"
    public var internalToken: String
    public var hostname = "localhost"
    public var workerID = "\(ProcessInfo.processInfo.hostName)-\(getpid())"
    public var concurrency = 10
    public var poll: Duration = .seconds(1)
    public var leaseTTL = 30
    public var reportRetry: Duration = .seconds(120)
    public var retryInterval: Double = 1800
    /// RFC 5321 §4.5.4.1: give up after 4–5 days; 5 days of 30-minute retries.
    public var maxAttempts = 241
    public var delayWarning: Double = 4 * 3600
    public var routes = StaticRoutes()
    public var dnsServer: DNSServerConfig?
    public var smtpPort = 25
    public var tlsVerify: [String] = []
    public var caFile: String?
    /// `BUZON_RELAY_TIMEOUT`; nil: RFC 5321 §4.5.3.2's table (`timeouts`).
    public var timeout: Duration?
    public var adminHost = "127.0.0.1"
    public var adminPort = 9026
    public var logLevel: String?

    public init(internalToken: String) {
        self.internalToken = internalToken
    }

    public init(reader: ConfigReader) throws {
        guard let token = try reader.secret("BUZON_INTERNAL_TOKEN") else {
            throw ConfigReader.ConfigError.missing(key: "BUZON_INTERNAL_TOKEN")
        }
        self.init(internalToken: token)
        storeURL = reader.string("BUZON_STORE_URL", default: storeURL)
        hostname = reader.string("BUZON_HOSTNAME", default: hostname)
        workerID = reader.string("BUZON_RELAY_WORKER_ID", default: workerID)
        concurrency = max(1, try reader.int("BUZON_RELAY_CONCURRENCY", default: concurrency))
        poll = .milliseconds(Int(try Self.seconds(reader, "BUZON_RELAY_POLL", default: 1) * 1000))
        leaseTTL = try reader.int("BUZON_RELAY_LEASE_TTL", default: leaseTTL)
        guard (5...3600).contains(leaseTTL) else {
            // What the store accepts (RelayRoutes.leaseTTL).
            throw ConfigReader.ConfigError.invalid(key: "BUZON_RELAY_LEASE_TTL", value: String(leaseTTL), expected: "5 to 3600")
        }
        reportRetry = .milliseconds(Int(try Self.seconds(reader, "BUZON_RELAY_REPORT_RETRY", default: 120) * 1000))
        retryInterval = try Self.seconds(reader, "BUZON_RETRY_INTERVAL", default: retryInterval)
        maxAttempts = max(1, try reader.int("BUZON_MAX_ATTEMPTS", default: maxAttempts))
        delayWarning = try Self.seconds(reader, "BUZON_DELAY_WARNING", default: delayWarning)
        if let text = reader.string("BUZON_RELAY_ROUTES") {
            guard let parsed = StaticRoutes(text) else {
                throw ConfigReader.ConfigError.invalid(key: "BUZON_RELAY_ROUTES", value: text, expected: "domain=host:port,…")
            }
            routes = parsed
        }
        do {
            dnsServer = try DNSServerConfig.fromEnvironment(reader.string("BUZON_DNS_SERVER"))
        } catch {
            throw ConfigReader.ConfigError.invalid(
                key: "BUZON_DNS_SERVER", value: reader.string("BUZON_DNS_SERVER") ?? "", expected: "host:port")
        }
        smtpPort = try reader.int("BUZON_RELAY_SMTP_PORT", default: smtpPort)
        tlsVerify = (reader.string("BUZON_RELAY_TLS_VERIFY") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        caFile = reader.string("BUZON_RELAY_CA_FILE")
        if reader.string("BUZON_RELAY_TIMEOUT") != nil {
            timeout = .milliseconds(Int(try Self.seconds(reader, "BUZON_RELAY_TIMEOUT", default: 300) * 1000))
        }
        adminHost = reader.string("BUZON_RELAY_ADMIN_HOST", default: adminHost)
        adminPort = try reader.int("BUZON_RELAY_ADMIN_PORT", default: adminPort)
        logLevel = reader.string("BUZON_LOG_LEVEL")
    }

    static func seconds(_ reader: ConfigReader, _ key: String, default value: Double) throws -> Double {
        guard let text = reader.string(key) else { return value }
        guard let number = Double(text), number >= 0 else {
            throw ConfigReader.ConfigError.invalid(key: key, value: text, expected: "seconds")
        }
        return number
    }

    /// How often a lease is renewed while its entry is being delivered: a third of its time, so
    /// that one lost renewal does not lose it.
    var leaseRenewal: Duration {
        .milliseconds(max(1000, leaseTTL * 1000 / 3))
    }

    /// How long the SMTP client waits at each step.
    var timeouts: SMTPClientTimeouts {
        timeout.map { SMTPClientTimeouts.uniform($0) } ?? .rfc5321
    }

    /// Whether deliveries to `domain` must use TLS with a verified certificate.
    func requiresVerifiedTLS(_ domain: String) -> Bool {
        tlsVerify.contains { StaticRoutes.matches(pattern: $0, domain: domain) }
    }
}

/// `BUZON_RELAY_ROUTES`: destinations chosen by configuration instead of DNS, for smarthosts
/// and tests. `*.corp.test` matches every subdomain of corp.test, `*` every domain.
public struct StaticRoutes: Sendable {
    public struct Route: Sendable, Hashable {
        public var pattern: String
        public var host: String
        public var port: Int
    }
    public var routes: [Route] = []

    public init() {}

    public init?(_ text: String) {
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            var host = parts[1]
            var port = 25
            if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
                guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else { return nil }
                port = p
                host = String(host[..<colon])
            }
            host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard !host.isEmpty else { return nil }
            routes.append(Route(pattern: parts[0].lowercased(), host: host, port: port))
        }
    }

    public func route(for domain: String) -> Route? {
        routes.first { Self.matches(pattern: $0.pattern, domain: domain.lowercased()) }
    }

    static func matches(pattern: String, domain: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasPrefix("*.") { return domain.hasSuffix(String(pattern.dropFirst(1))) }
        return pattern == domain
    }
}
