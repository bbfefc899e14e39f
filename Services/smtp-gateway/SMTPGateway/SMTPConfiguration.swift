import Foundation
import SMTPProtocol
import ServiceKit

/// Settings of the smtp-gateway, from `BUZON_*` variables or the matching flags.
///
/// The keys every gateway shares (store URL and token, hostname, TLS files, log level) are read
/// by `GatewayBasics` (ServiceKit).
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_SMTP_HOST` | `127.0.0.1` | address the SMTP listeners bind (`0.0.0.0` on a server) |
/// | `BUZON_SMTP_MX_PORT` | `2525` (25 in production) | MX: mail for our domains |
/// | `BUZON_SMTP_SUBMISSION_PORT` | `2587` (587) | submission with STARTTLS + AUTH |
/// | `BUZON_SMTP_SUBMISSIONS_PORT` | `2465` (465) | submission with implicit TLS |
/// | `BUZON_SMTP_ADMIN_PORT` | `9025` | /healthz, /readyz, /metrics |
/// | `BUZON_SMTP_MAX_MESSAGE_SIZE` | 26214400 | announced in SIZE (RFC 1870) |
/// | `BUZON_SMTP_MAX_RECIPIENTS` | `100` | per message (RFC 5321 §4.5.3.1.8) |
/// | `BUZON_SMTP_MAX_CONNECTIONS` | `1000` | in total |
/// | `BUZON_SMTP_MAX_CONNECTIONS_PER_ADDRESS` | `50` | from one client address |
/// | `BUZON_SMTP_TIMEOUT` | `300` | seconds without input, or to finish one command line (RFC 5321 §4.5.3.2) |
/// | `BUZON_SMTP_MIN_DATA_RATE` | `500` | bytes/s message content must average once it takes longer than the timeout |
/// | `BUZON_SMTP_STORE_RETRY_SECONDS` | `30` | how long a delivery the store did not answer is retried (same idempotency key) before `451`; covers a store restart |
/// | `BUZON_SMTP_LOGIN_DEADLINE` | `60` | seconds a submission connection (587, 465) has to authenticate, however busy; 0: none |
/// | `BUZON_SMTP_MX_DEADLINE` | `600` | seconds an MX connection (25) may last from its start or its last message; content arriving at the minimum rate finishes first; 0: none |
/// | `BUZON_SMTP_MIN_LINE_RATE` | `32` | bytes/s a command line must average once unfinished for 10 s; 0: none |
/// | `BUZON_SMTP_ALLOW_PLAINTEXT_AUTH` | `false` | AUTH on 587 without STARTTLS (never on the Internet) |
public struct SMTPConfiguration: GatewaySettings {
    public var basics: GatewayBasics
    public var host = "127.0.0.1"
    public var mxPort = 2525
    public var submissionPort = 2587
    public var submissionsPort = 2465
    public var adminPort = 9025
    public var maxMessageSize = SMTPDefaults.messageSize
    public var maxRecipients = SMTPDefaults.maxRecipients
    public var maxConnections = 1000
    public var maxConnectionsPerAddress = 50
    public var timeout: Duration = .seconds(300)
    public var allowPlaintextAuth = false
    public var minDataRate = 500
    /// RFC 5321 §4.5.3.2.6: the client waits 10 minutes for the reply to the end of DATA.
    public var storeRetry: Duration = .seconds(30)
    /// Submission: the time to authenticate (`ConnectionDeadlines.login`).
    public var loginDeadline = 60
    /// MX: the whole session, since nobody logs in there (RFC 5321 §4.5.3.2 asks patience per
    /// command, not for ever: ten minutes is a full transaction at every one of its timeouts).
    public var mxDeadline = 600
    public var minLineRate = 32

    public init(internalToken: String) {
        basics = GatewayBasics(internalToken: internalToken)
    }

    public init(reader: ConfigReader) throws {
        basics = try GatewayBasics(reader: reader)
        host = reader.string("BUZON_SMTP_HOST", default: host)
        mxPort = try reader.int("BUZON_SMTP_MX_PORT", default: mxPort)
        submissionPort = try reader.int("BUZON_SMTP_SUBMISSION_PORT", default: submissionPort)
        submissionsPort = try reader.int("BUZON_SMTP_SUBMISSIONS_PORT", default: submissionsPort)
        adminPort = try reader.int("BUZON_SMTP_ADMIN_PORT", default: adminPort)
        maxMessageSize = try reader.int("BUZON_SMTP_MAX_MESSAGE_SIZE", default: maxMessageSize)
        maxRecipients = try reader.int("BUZON_SMTP_MAX_RECIPIENTS", default: maxRecipients)
        maxConnections = try reader.int("BUZON_SMTP_MAX_CONNECTIONS", default: maxConnections)
        maxConnectionsPerAddress = try reader.int("BUZON_SMTP_MAX_CONNECTIONS_PER_ADDRESS", default: maxConnectionsPerAddress)
        timeout = .seconds(try reader.int("BUZON_SMTP_TIMEOUT", default: 300))
        allowPlaintextAuth = try reader.bool("BUZON_SMTP_ALLOW_PLAINTEXT_AUTH", default: false)
        minDataRate = try reader.int("BUZON_SMTP_MIN_DATA_RATE", default: minDataRate)
        let retry = try reader.int("BUZON_SMTP_STORE_RETRY_SECONDS", default: 30)
        guard (0...540).contains(retry) else {
            // Under the client's 10 minutes for the reply to DATA (RFC 5321 §4.5.3.2.6).
            throw ConfigReader.ConfigError.invalid(key: "BUZON_SMTP_STORE_RETRY_SECONDS", value: String(retry), expected: "0 to 540")
        }
        storeRetry = .seconds(retry)
        loginDeadline = try reader.int("BUZON_SMTP_LOGIN_DEADLINE", default: loginDeadline)
        mxDeadline = try reader.int("BUZON_SMTP_MX_DEADLINE", default: mxDeadline)
        minLineRate = try reader.int("BUZON_SMTP_MIN_LINE_RATE", default: minLineRate)
    }

    /// The deadlines of a connection on `listener`.
    func deadlines(_ listener: Listener) -> ConnectionDeadlines {
        ConnectionDeadlines(loginSeconds: listener == .mx ? mxDeadline : loginDeadline, minimumLineRate: minLineRate)
    }
}
