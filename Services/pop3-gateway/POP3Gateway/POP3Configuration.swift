import ServiceKit
import StoreClient

/// Settings of the pop3-gateway, from `BUZON_*` variables or the matching flags.
///
/// The keys every gateway shares (store URL and token, hostname, TLS files, log level) are read
/// by `GatewayBasics` (ServiceKit).
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_POP3_HOST` | `127.0.0.1` | address the listeners bind (`0.0.0.0` on a server) |
/// | `BUZON_POP3_PORT` | `2110` (110) | POP3 with STLS |
/// | `BUZON_POP3S_PORT` | `2995` (995) | POP3 over implicit TLS |
/// | `BUZON_POP3_ADMIN_PORT` | `9110` | /healthz, /readyz, /metrics |
/// | `BUZON_POP3_MAX_CONNECTIONS` | `1000` | in total |
/// | `BUZON_POP3_MAX_CONNECTIONS_PER_ADDRESS` | `50` | from one client address |
/// | `BUZON_POP3_TIMEOUT` | `600` | seconds of inactivity before autologout (RFC 1939 §3: at least 10 minutes) |
/// | `BUZON_POP3_LOGIN_DEADLINE` | `60` | seconds a connection has to log in, however busy; 0: none |
/// | `BUZON_POP3_MIN_LINE_RATE` | `32` | bytes/s a command line must average once unfinished for 10 s; 0: none |
/// | `BUZON_POP3_LOCK_TTL` | `60` | seconds a maildrop lock outlives a gateway that died |
/// | `BUZON_POP3_ALLOW_PLAINTEXT_AUTH` | `false` | passwords without TLS from other than loopback |
/// | `BUZON_POP3_READ_AHEAD_BYTES` | `1048576` | octets of the next messages read ahead while the client reads one (at most 64 messages at a time, two windows held); 0: none |
public struct POP3Configuration: GatewaySettings {
    public var basics: GatewayBasics
    public var host = "127.0.0.1"
    public var port = 2110
    public var tlsPort = 2995
    public var adminPort = 9110
    public var maxConnections = 1000
    public var maxConnectionsPerAddress = 50
    public var timeout: Duration = .seconds(600)
    public var allowPlaintextAuth = false
    public var lockTTL = 60
    public var loginDeadline = 60
    public var minLineRate = 32
    public var readAheadBytes = ReadAhead.windowBytes

    public init(internalToken: String) {
        basics = GatewayBasics(internalToken: internalToken)
    }

    public init(reader: ConfigReader) throws {
        basics = try GatewayBasics(reader: reader)
        host = reader.string("BUZON_POP3_HOST", default: host)
        port = try reader.int("BUZON_POP3_PORT", default: port)
        tlsPort = try reader.int("BUZON_POP3S_PORT", default: tlsPort)
        adminPort = try reader.int("BUZON_POP3_ADMIN_PORT", default: adminPort)
        maxConnections = try reader.int("BUZON_POP3_MAX_CONNECTIONS", default: maxConnections)
        maxConnectionsPerAddress = try reader.int("BUZON_POP3_MAX_CONNECTIONS_PER_ADDRESS", default: maxConnectionsPerAddress)
        timeout = .seconds(try reader.int("BUZON_POP3_TIMEOUT", default: 600))
        allowPlaintextAuth = try reader.bool("BUZON_POP3_ALLOW_PLAINTEXT_AUTH", default: false)
        lockTTL = try reader.int("BUZON_POP3_LOCK_TTL", default: 60)
        loginDeadline = try reader.int("BUZON_POP3_LOGIN_DEADLINE", default: loginDeadline)
        minLineRate = try reader.int("BUZON_POP3_MIN_LINE_RATE", default: minLineRate)
        readAheadBytes = try reader.int("BUZON_POP3_READ_AHEAD_BYTES", default: readAheadBytes)
        guard (0...StoreClient.maxResponseSize).contains(readAheadBytes) else {
            throw ConfigReader.ConfigError.invalid(
                key: "BUZON_POP3_READ_AHEAD_BYTES", value: String(readAheadBytes), expected: "0 to \(StoreClient.maxResponseSize) octets")
        }
        guard (3...3600).contains(lockTTL) else {
            throw ConfigReader.ConfigError.invalid(key: "BUZON_POP3_LOCK_TTL", value: String(lockTTL), expected: "3 to 3600 seconds")
        }
    }

    /// The login deadline and the command-line floor of every connection.
    var deadlines: ConnectionDeadlines { ConnectionDeadlines(loginSeconds: loginDeadline, minimumLineRate: minLineRate) }
}
