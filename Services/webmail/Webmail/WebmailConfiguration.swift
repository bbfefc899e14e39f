import ServiceKit

/// Settings of the webmail, from `BUZON_*` variables.
///
/// The keys every gateway shares (store URL and token, hostname, TLS files, log level) are read
/// by `GatewayBasics` (ServiceKit); with the TLS files the webmail also serves HTTPS.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_WEBMAIL_HOST` | `127.0.0.1` | address the listeners bind (`0.0.0.0` on a server) |
/// | `BUZON_WEBMAIL_PORT` | `8080` | HTTP |
/// | `BUZON_WEBMAILS_PORT` | `8443` | HTTPS (with `BUZON_TLS_CERT` and `BUZON_TLS_KEY`) |
/// | `BUZON_WEBMAIL_ADMIN_PORT` | `9080` | /healthz, /readyz, /metrics |
/// | `BUZON_WEBMAIL_PLAIN_HTTP` | `redirect` | with TLS files: `redirect` sends every HTTP request (but account setup) to HTTPS, so no password or session crosses the network in the clear; `serve` serves mail over HTTP too (a loopback-only setup) |
/// | `BUZON_WEBMAIL_PUBLIC_HTTPS_PORT` | `BUZON_WEBMAILS_PORT` | the HTTPS port browsers reach (443 behind a port mapping), for that redirect |
/// | `BUZON_WEBMAIL_SESSION_TTL` | `86400` | seconds a login lives unused (60 to 2592000) |
/// | `BUZON_WEBMAIL_PAGE_SIZE` | `50` | messages on a page of a folder |
/// | `BUZON_CLIENT_IMAPS_PORT` | `993` | what account setup (autoconfig, autodiscover, .mobileconfig) tells other clients, at `BUZON_HOSTNAME` |
/// | `BUZON_CLIENT_POP3S_PORT` | `995` | the same for POP3 |
/// | `BUZON_CLIENT_SUBMISSIONS_PORT` | `465` | the same for sending, implicit TLS |
/// | `BUZON_CLIENT_SUBMISSION_PORT` | `587` | the same for sending, STARTTLS |
public struct WebmailConfiguration: GatewaySettings {
    public var basics: GatewayBasics
    public var host = "127.0.0.1"
    public var port = 8080
    public var tlsPort = 8443
    public var adminPort = 9080
    public var sessionTTL = 86_400
    /// Serve mail over plain HTTP even when HTTPS is set up (else redirect to it).
    public var servePlainHTTP = false
    public var publicHTTPSPort: Int?
    public var pageSize = 50
    public var clientPorts = ClientPorts()

    /// The ports other mail clients are told to use (they may differ from the gateways'
    /// local ones behind a firewall's port mapping).
    public struct ClientPorts: Sendable {
        public var imaps = 993
        public var pop3s = 995
        public var submissions = 465
        public var submission = 587
    }

    public init(internalToken: String) {
        basics = GatewayBasics(internalToken: internalToken)
    }

    public init(reader: ConfigReader) throws {
        basics = try GatewayBasics(reader: reader)
        host = reader.string("BUZON_WEBMAIL_HOST", default: host)
        port = try reader.int("BUZON_WEBMAIL_PORT", default: port)
        tlsPort = try reader.int("BUZON_WEBMAILS_PORT", default: tlsPort)
        adminPort = try reader.int("BUZON_WEBMAIL_ADMIN_PORT", default: adminPort)
        sessionTTL = try reader.int("BUZON_WEBMAIL_SESSION_TTL", default: sessionTTL)
        switch reader.string("BUZON_WEBMAIL_PLAIN_HTTP", default: "redirect") {
        case "redirect": servePlainHTTP = false
        case "serve": servePlainHTTP = true
        case let other:
            throw ConfigReader.ConfigError.invalid(key: "BUZON_WEBMAIL_PLAIN_HTTP", value: other, expected: "redirect or serve")
        }
        let publicPort = try reader.int("BUZON_WEBMAIL_PUBLIC_HTTPS_PORT", default: 0)
        publicHTTPSPort = publicPort == 0 ? nil : publicPort
        pageSize = try reader.int("BUZON_WEBMAIL_PAGE_SIZE", default: pageSize)
        clientPorts.imaps = try reader.int("BUZON_CLIENT_IMAPS_PORT", default: clientPorts.imaps)
        clientPorts.pop3s = try reader.int("BUZON_CLIENT_POP3S_PORT", default: clientPorts.pop3s)
        clientPorts.submissions = try reader.int("BUZON_CLIENT_SUBMISSIONS_PORT", default: clientPorts.submissions)
        clientPorts.submission = try reader.int("BUZON_CLIENT_SUBMISSION_PORT", default: clientPorts.submission)
        guard (60...2_592_000).contains(sessionTTL) else {
            throw ConfigReader.ConfigError.invalid(
                key: "BUZON_WEBMAIL_SESSION_TTL", value: String(sessionTTL), expected: "60 to 2592000 seconds")
        }
        guard (1...500).contains(pageSize) else {
            throw ConfigReader.ConfigError.invalid(key: "BUZON_WEBMAIL_PAGE_SIZE", value: String(pageSize), expected: "1 to 500")
        }
    }
}
