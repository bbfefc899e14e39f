import ServiceKit
import StoreAPI

/// Settings of the mailbox-store, from `BUZON_*` variables or the matching flags.
///
/// | key | type | default | meaning |
/// |---|---|---|---|
/// | `BUZON_DATA_DIR` | path | `./.data` | where `store.sqlite` lives |
/// | `BUZON_STORE_HOST` | host | `127.0.0.1` | address the internal API listens on |
/// | `BUZON_STORE_PORT` | port | `8025` | port of the internal API (and /healthz, /readyz, /metrics) |
/// | `BUZON_INTERNAL_TOKEN` (or `_FILE`) | string | required | bearer token every API call must carry |
/// | `BUZON_BCRYPT_COST` | 4–31 | `10` | cost of new password hashes |
/// | `BUZON_MAX_MESSAGE_SIZE` | bytes | 33554432 | largest message body a delivery may carry |
/// | `BUZON_LOGIN_FAILURE_DELAY_MS` | ms | `1000` | delay before answering a client address's first failed login; it doubles with each further failure of that address |
/// | `BUZON_LOGIN_MAX_DELAY_MS` | ms | `15000` | the delay grows no further |
/// | `BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT` | count | `10` | failures of one client address against one account name before that address is locked out of it |
/// | `BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS` | count | `30` | failures of one client address against any names before it is locked out of all |
/// | `BUZON_LOGIN_MAX_FAILURES` | count | `100` | failures of one account name from all addresses before the account itself is locked (last resort; `mailctl user unlock`) |
/// | `BUZON_LOGIN_LOCKOUT` | seconds | `900` | how long a lock lasts |
/// | `BUZON_LOGIN_WINDOW` | seconds | `900` | failures count from the first one for this long |
/// | `BUZON_AUTH_CACHE_SECONDS` | seconds | `3600` | how long a good password login is remembered (`AuthCache`), so that a reconnecting client pays no bcrypt; 0 turns the cache off |
/// | `BUZON_AUTH_CACHE_SIZE` | count | `10000` | accounts the authentication cache holds at most |
/// | `BUZON_BCRYPT_THREADS` | count | cores | threads that check passwords (`PasswordHasher`) |
/// | `BUZON_BCRYPT_QUEUE` | count | `256` | password checks that may wait beyond those running; one more is answered `503` (a temporary failure at the gateway) |
/// | `BUZON_STORE_RESEND_WINDOW` | seconds | `86400` | how long an SMTP client's resend of a stored message (same envelope, Message-ID and content) is answered without storing it again; 0 turns it off |
/// | `BUZON_STORE_INDEX_BATCH` | count | `200` | messages stored before the read model (issue 12) indexed, or entries' message ids numbered (Schema v9), per background batch; 0 turns the background indexer off (SEARCH then scans them, THREAD reads unnumbered ids as text) |
/// | `BUZON_HOSTNAME` | host | `localhost` | our name in delivery status notifications (Reporting-MTA, From) |
/// | `BUZON_POSTMASTER` | address | none | the administrator: every domain's `postmaster@` alias points here (RFC 5321 §4.5.1) |
/// | `BUZON_LOG_LEVEL` | level | `info` | trace, debug, info, notice, warning, error |
public struct StoreConfiguration: Sendable {
    public var dataDirectory: String
    public var host: String
    public var port: Int
    public var internalToken: String
    public var bcryptCost: Int
    public var maxMessageSize: Int
    public var login: LoginPolicy.Settings
    public var logLevel: String?
    public var hostname = "localhost"
    /// The administrator's address, where new domains' postmaster aliases point.
    public var postmaster: String?
    /// `BUZON_STORE_RESEND_WINDOW` (`ResendDigest`).
    public var resendWindow = Self.defaultResendWindow
    public static let defaultResendWindow: Double = 24 * 3600
    /// `BUZON_STORE_INDEX_BATCH` (`MessageIndexer`).
    public var indexBatch = 200

    /// A message bigger than the SMTP limit (25 MiB) plus the headers gateways add.
    public static let defaultMaxMessageSize = 32 * 1024 * 1024

    public init(
        dataDirectory: String, host: String = "127.0.0.1", port: Int = 8025, internalToken: String,
        bcryptCost: Int = 10, maxMessageSize: Int = defaultMaxMessageSize,
        login: LoginPolicy.Settings = .init(), logLevel: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.internalToken = internalToken
        self.bcryptCost = bcryptCost
        self.maxMessageSize = maxMessageSize
        self.login = login
        self.logLevel = logLevel
    }

    public init(reader: ConfigReader) throws {
        guard let token = try reader.secret("BUZON_INTERNAL_TOKEN") else {
            throw ConfigReader.ConfigError.missing(key: "BUZON_INTERNAL_TOKEN")
        }
        let cost = try reader.int("BUZON_BCRYPT_COST", default: 10)
        guard (4...31).contains(cost) else {
            throw ConfigReader.ConfigError.invalid(key: "BUZON_BCRYPT_COST", value: String(cost), expected: "4 to 31")
        }
        self.init(
            dataDirectory: reader.string("BUZON_DATA_DIR", default: "./.data"),
            host: reader.string("BUZON_STORE_HOST", default: "127.0.0.1"),
            port: try reader.int("BUZON_STORE_PORT", default: 8025),
            internalToken: token,
            bcryptCost: cost,
            maxMessageSize: try reader.int("BUZON_MAX_MESSAGE_SIZE", default: Self.defaultMaxMessageSize),
            login: try Self.loginSettings(reader),
            logLevel: reader.string("BUZON_LOG_LEVEL"))
        hostname = reader.string("BUZON_HOSTNAME", default: hostname)
        if let raw = reader.string("BUZON_POSTMASTER"), !raw.isEmpty {
            guard let address = Validation.address(raw) else {
                throw ConfigReader.ConfigError.invalid(key: "BUZON_POSTMASTER", value: raw, expected: "a mail address")
            }
            postmaster = address
        }
        resendWindow = Double(max(0, try reader.int("BUZON_STORE_RESEND_WINDOW", default: Int(Self.defaultResendWindow))))
        indexBatch = max(0, try reader.int("BUZON_STORE_INDEX_BATCH", default: indexBatch))
    }

    static func loginSettings(_ reader: ConfigReader) throws -> LoginPolicy.Settings {
        let d = LoginPolicy.Settings()
        var settings = LoginPolicy.Settings(
            failureDelay: Double(try reader.int("BUZON_LOGIN_FAILURE_DELAY_MS", default: Int(d.failureDelay * 1000))) / 1000,
            maxDelay: Double(try reader.int("BUZON_LOGIN_MAX_DELAY_MS", default: Int(d.maxDelay * 1000))) / 1000,
            maxFailuresPerAddressAccount: try reader.int(
                "BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS_ACCOUNT", default: d.maxFailuresPerAddressAccount),
            maxFailuresPerAccount: try reader.int("BUZON_LOGIN_MAX_FAILURES", default: d.maxFailuresPerAccount),
            maxFailuresPerAddress: try reader.int("BUZON_LOGIN_MAX_FAILURES_PER_ADDRESS", default: d.maxFailuresPerAddress),
            lockout: Double(try reader.int("BUZON_LOGIN_LOCKOUT", default: Int(d.lockout))),
            window: Double(try reader.int("BUZON_LOGIN_WINDOW", default: Int(d.window))))
        settings.authCacheSeconds = Double(max(0, try reader.int("BUZON_AUTH_CACHE_SECONDS", default: Int(d.authCacheSeconds))))
        settings.authCacheSize = max(0, try reader.int("BUZON_AUTH_CACHE_SIZE", default: d.authCacheSize))
        settings.hashThreads = try positive(reader, "BUZON_BCRYPT_THREADS", default: d.hashThreads)
        settings.hashQueue = max(0, try reader.int("BUZON_BCRYPT_QUEUE", default: d.hashQueue))
        return settings
    }

    private static func positive(_ reader: ConfigReader, _ key: String, default value: Int) throws -> Int {
        let n = try reader.int(key, default: value)
        guard n >= 1 else { throw ConfigReader.ConfigError.invalid(key: key, value: String(n), expected: "1 or more") }
        return n
    }
}
