/// The settings every protocol gateway shares, read once here: where the store is and its
/// token, our name, the TLS files and the log level.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_HOSTNAME` | `localhost` | our name in greetings (and SMTP's EHLO and Received) |
/// | `BUZON_STORE_URL` | `http://127.0.0.1:8025` | the mailbox-store |
/// | `BUZON_INTERNAL_TOKEN` (or `_FILE`) | required | the store's bearer token |
/// | `BUZON_TLS_CERT`, `BUZON_TLS_KEY` | none | PEM files; without them no STARTTLS and no implicit-TLS port |
/// | `BUZON_LOG_LEVEL` | `info` | |
public struct GatewayBasics: Sendable {
    public var hostname = "localhost"
    public var storeURL = "http://127.0.0.1:8025"
    public var internalToken: String
    public var tlsCertificate: String?
    public var tlsKey: String?
    public var logLevel: String?

    public init(internalToken: String) {
        self.internalToken = internalToken
    }

    public init(reader: ConfigReader) throws {
        guard let token = try reader.secret("BUZON_INTERNAL_TOKEN") else {
            throw ConfigReader.ConfigError.missing(key: "BUZON_INTERNAL_TOKEN")
        }
        self.init(internalToken: token)
        hostname = reader.string("BUZON_HOSTNAME", default: hostname)
        storeURL = reader.string("BUZON_STORE_URL", default: storeURL)
        tlsCertificate = reader.string("BUZON_TLS_CERT")
        tlsKey = reader.string("BUZON_TLS_KEY")
        logLevel = reader.string("BUZON_LOG_LEVEL")
    }
}

/// A gateway's configuration: its own settings, and the shared ones reached as if they were
/// its own (`configuration.storeURL`).
@dynamicMemberLookup
public protocol GatewaySettings: ServiceConfiguration {
    var basics: GatewayBasics { get set }
    /// The address the protocol and admin ports listen on.
    var host: String { get }
    /// The admin HTTP port (`/healthz`, `/readyz`, `/metrics`).
    var adminPort: Int { get }
}

extension GatewaySettings {
    public var logLevel: String? { basics.logLevel }

    public subscript<Value>(dynamicMember path: WritableKeyPath<GatewayBasics, Value>) -> Value {
        get { basics[keyPath: path] }
        set { basics[keyPath: path] = newValue }
    }
}
