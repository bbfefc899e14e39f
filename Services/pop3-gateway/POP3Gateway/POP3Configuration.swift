import ServiceKit

/// Settings of the pop3-gateway, from `BUZON_*` variables or the matching flags.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_POP3_HOST` | `127.0.0.1` | address the listeners bind (`0.0.0.0` on a server) |
/// | `BUZON_POP3_PORT` | `2110` (110) | POP3 with STLS |
/// | `BUZON_POP3S_PORT` | `2995` (995) | POP3 over implicit TLS |
/// | `BUZON_POP3_ADMIN_PORT` | `9110` | /healthz, /readyz, /metrics |
/// | `BUZON_HOSTNAME` | `localhost` | our name in the greeting |
/// | `BUZON_STORE_URL` | `http://127.0.0.1:8025` | the mailbox-store |
/// | `BUZON_INTERNAL_TOKEN` (or `_FILE`) | required | the store's bearer token |
/// | `BUZON_TLS_CERT`, `BUZON_TLS_KEY` | none | PEM files; without them no STLS and no 995 |
/// | `BUZON_POP3_MAX_CONNECTIONS` | `1000` | in total |
/// | `BUZON_POP3_MAX_CONNECTIONS_PER_ADDRESS` | `50` | from one client address |
/// | `BUZON_POP3_TIMEOUT` | `600` | seconds of inactivity before autologout (RFC 1939 §3: at least 10 minutes) |
/// | `BUZON_POP3_LOCK_TTL` | `60` | seconds a maildrop lock outlives a gateway that died |
/// | `BUZON_POP3_ALLOW_PLAINTEXT_AUTH` | `false` | passwords without TLS from other than loopback |
/// | `BUZON_LOG_LEVEL` | `info` | |
public struct POP3Configuration: Sendable {
    public var host = "127.0.0.1"
    public var port = 2110
    public var tlsPort = 2995
    public var adminPort = 9110
    public var hostname = "localhost"
    public var storeURL = "http://127.0.0.1:8025"
    public var internalToken: String
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var maxConnections = 1000
    public var maxConnectionsPerAddress = 50
    public var timeout: Duration = .seconds(600)
    public var allowPlaintextAuth = false
    public var lockTTL = 60
    public var logLevel: String?

    public init(internalToken: String) {
        self.internalToken = internalToken
    }

    public init(reader: ConfigReader) throws {
        guard let token = try reader.secret("BUZON_INTERNAL_TOKEN") else {
            throw ConfigReader.ConfigError.missing(key: "BUZON_INTERNAL_TOKEN")
        }
        self.init(internalToken: token)
        host = reader.string("BUZON_POP3_HOST", default: host)
        port = try reader.int("BUZON_POP3_PORT", default: port)
        tlsPort = try reader.int("BUZON_POP3S_PORT", default: tlsPort)
        adminPort = try reader.int("BUZON_POP3_ADMIN_PORT", default: adminPort)
        hostname = reader.string("BUZON_HOSTNAME", default: hostname)
        storeURL = reader.string("BUZON_STORE_URL", default: storeURL)
        tlsCertificate = reader.string("BUZON_TLS_CERT")
        tlsKey = reader.string("BUZON_TLS_KEY")
        maxConnections = try reader.int("BUZON_POP3_MAX_CONNECTIONS", default: maxConnections)
        maxConnectionsPerAddress = try reader.int("BUZON_POP3_MAX_CONNECTIONS_PER_ADDRESS", default: maxConnectionsPerAddress)
        timeout = .seconds(try reader.int("BUZON_POP3_TIMEOUT", default: 600))
        allowPlaintextAuth = try reader.bool("BUZON_POP3_ALLOW_PLAINTEXT_AUTH", default: false)
        lockTTL = try reader.int("BUZON_POP3_LOCK_TTL", default: 60)
        guard (3...3600).contains(lockTTL) else {
            throw ConfigReader.ConfigError.invalid(key: "BUZON_POP3_LOCK_TTL", value: String(lockTTL), expected: "3 to 3600 seconds")
        }
        logLevel = reader.string("BUZON_LOG_LEVEL")
    }
}
