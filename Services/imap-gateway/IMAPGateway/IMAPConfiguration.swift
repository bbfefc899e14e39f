import ServiceKit

/// Settings of the imap-gateway, from `BUZON_*` variables or the matching flags.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_IMAP_HOST` | `127.0.0.1` | address the listeners bind (`0.0.0.0` on a server) |
/// | `BUZON_IMAP_PORT` | `2143` (143) | IMAP with STARTTLS |
/// | `BUZON_IMAPS_PORT` | `2993` (993) | IMAP over implicit TLS |
/// | `BUZON_IMAP_ADMIN_PORT` | `9143` | /healthz, /readyz, /metrics |
/// | `BUZON_HOSTNAME` | `localhost` | our name in the greeting |
/// | `BUZON_STORE_URL` | `http://127.0.0.1:8025` | the mailbox-store |
/// | `BUZON_INTERNAL_TOKEN` (or `_FILE`) | required | the store's bearer token |
/// | `BUZON_TLS_CERT`, `BUZON_TLS_KEY` | none | PEM files; without them no STARTTLS and no 993 |
/// | `BUZON_IMAP_MAX_CONNECTIONS` | `5000` | in total |
/// | `BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS` | `100` | from one client address |
/// | `BUZON_IMAP_MAX_CONNECTIONS_PER_USER` | `50` | logged in as one account (phones, desktops and IDLE per folder add up) |
/// | `BUZON_IMAP_TIMEOUT` | `1800` | autologout after this many seconds of silence once logged in (RFC 9051 §5.4: at least 30 minutes) |
/// | `BUZON_IMAP_LOGIN_TIMEOUT` | `60` | the same before login |
/// | `BUZON_IMAP_MAX_LOGIN_FAILURES` | `3` | failed logins on one connection before it is closed |
/// | `BUZON_IMAP_MAX_MESSAGE_SIZE` | `67108864` | the largest APPEND literal (`APPENDLIMIT`) |
/// | `BUZON_IMAP_ALLOW_PLAINTEXT_AUTH` | `false` | passwords without TLS from other than loopback |
/// | `BUZON_LOG_LEVEL` | `info` | |
public struct IMAPConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 2143
    public var tlsPort = 2993
    public var adminPort = 9143
    public var hostname = "localhost"
    public var storeURL = "http://127.0.0.1:8025"
    public var internalToken: String
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var maxConnections = 5000
    public var maxConnectionsPerAddress = 100
    public var maxConnectionsPerUser = 50
    public var timeout: Duration = .seconds(1800)
    public var loginTimeout: Duration = .seconds(60)
    public var maxLoginFailures = 3
    public var maxMessageSize = 64 * 1024 * 1024
    public var allowPlaintextAuth = false
    public var logLevel: String?

    public init(internalToken: String) {
        self.internalToken = internalToken
    }

    public init(reader: ConfigReader) throws {
        guard let token = try reader.secret("BUZON_INTERNAL_TOKEN") else {
            throw ConfigReader.ConfigError.missing(key: "BUZON_INTERNAL_TOKEN")
        }
        self.init(internalToken: token)
        host = reader.string("BUZON_IMAP_HOST", default: host)
        port = try reader.int("BUZON_IMAP_PORT", default: port)
        tlsPort = try reader.int("BUZON_IMAPS_PORT", default: tlsPort)
        adminPort = try reader.int("BUZON_IMAP_ADMIN_PORT", default: adminPort)
        hostname = reader.string("BUZON_HOSTNAME", default: hostname)
        storeURL = reader.string("BUZON_STORE_URL", default: storeURL)
        tlsCertificate = reader.string("BUZON_TLS_CERT")
        tlsKey = reader.string("BUZON_TLS_KEY")
        maxConnections = try reader.int("BUZON_IMAP_MAX_CONNECTIONS", default: maxConnections)
        maxConnectionsPerAddress = try reader.int("BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS", default: maxConnectionsPerAddress)
        maxConnectionsPerUser = try reader.int("BUZON_IMAP_MAX_CONNECTIONS_PER_USER", default: maxConnectionsPerUser)
        timeout = .seconds(try reader.int("BUZON_IMAP_TIMEOUT", default: 1800))
        loginTimeout = .seconds(try reader.int("BUZON_IMAP_LOGIN_TIMEOUT", default: 60))
        maxLoginFailures = try reader.int("BUZON_IMAP_MAX_LOGIN_FAILURES", default: maxLoginFailures)
        maxMessageSize = try reader.int("BUZON_IMAP_MAX_MESSAGE_SIZE", default: maxMessageSize)
        allowPlaintextAuth = try reader.bool("BUZON_IMAP_ALLOW_PLAINTEXT_AUTH", default: false)
        logLevel = reader.string("BUZON_LOG_LEVEL")
    }
}
