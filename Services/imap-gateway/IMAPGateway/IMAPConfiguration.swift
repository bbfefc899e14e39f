import IMAPProtocol
import ServiceKit

/// Settings of the imap-gateway, from `BUZON_*` variables or the matching flags.
///
/// The keys every gateway shares (store URL and token, hostname, TLS files, log level) are read
/// by `GatewayBasics` (ServiceKit).
///
/// | key | default | meaning |
/// |---|---|---|
/// | `BUZON_IMAP_HOST` | `127.0.0.1` | address the listeners bind (`0.0.0.0` on a server) |
/// | `BUZON_IMAP_PORT` | `2143` (143) | IMAP with STARTTLS |
/// | `BUZON_IMAPS_PORT` | `2993` (993) | IMAP over implicit TLS |
/// | `BUZON_IMAP_ADMIN_PORT` | `9143` | /healthz, /readyz, /metrics |
/// | `BUZON_IMAP_MAX_CONNECTIONS` | `5000` | in total |
/// | `BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS` | `100` | from one client address |
/// | `BUZON_IMAP_MAX_CONNECTIONS_PER_USER` | `50` | logged in as one account (phones, desktops and IDLE per folder add up) |
/// | `BUZON_IMAP_TIMEOUT` | `1800` | autologout after this many seconds of silence once logged in (RFC 9051 §5.4: at least 30 minutes) |
/// | `BUZON_IMAP_LOGIN_TIMEOUT` | `60` | the same before login |
/// | `BUZON_IMAP_LOGIN_DEADLINE` | `60` | seconds a connection has to log in, however busy (RFC 9051 §5.4); 0: none |
/// | `BUZON_IMAP_MIN_LINE_RATE` | `32` | bytes/s a command line must average once unfinished for 10 s; 0: none |
/// | `BUZON_IMAP_MAX_LINE_LENGTH` | `65536` | octets in one command line, CRLF included (RFC 7162 §4: at least 8,192; an RFC 2971 ID command needs ~32 KB) |
/// | `BUZON_IMAP_MAX_LOGIN_FAILURES` | `3` | failed logins on one connection before it is closed |
/// | `BUZON_IMAP_MAX_MESSAGE_SIZE` | `67108864` | the largest APPEND literal (`APPENDLIMIT`) |
/// | `BUZON_IMAP_ALLOW_PLAINTEXT_AUTH` | `false` | passwords without TLS from other than loopback |
/// | `BUZON_IMAP_VIEW_KEEP_SECONDS` | `300` | how long the view of a mailbox no session has open is kept (a reopen then reads no listing); 0: not kept |
/// | `BUZON_IMAP_MAX_MAILBOX_KEYWORDS` | `256` | distinct keywords one mailbox may have; a STORE or APPEND adding one more is refused (RFC 3501 §7.1) |
/// | `BUZON_IMAP_METADATA_MAX_SIZE` | `65536` | octets of one METADATA value; more is `NO [METADATA MAXSIZE n]` (RFC 5464 §4.3) |
/// | `BUZON_IMAP_METADATA_MAX_ENTRIES` | `256` | METADATA entries of one mailbox (or of the server, per account), `/shared` and each user's `/private` counted apart; more is `NO [METADATA TOOMANY]` |
/// | `BUZON_IMAP_METADATA_ADMIN` | (none) | the server's `/shared/admin` entry, a URI such as `mailto:postmaster@example.org` (RFC 5464 §3.2.1); read-only |
/// | `BUZON_IMAP_NOTIFY_MAX_MAILBOXES` | `100` | mailboxes one batch of changes may report to a NOTIFY session before `[NOTIFICATIONOVERFLOW]` (RFC 5465 §5.8) |
/// | `BUZON_IMAP_VIEW_KEEP_MESSAGES` | `1000000` | at most this many messages in the views kept that way (~30 bytes each) |
/// | `BUZON_IMAP_INPROGRESS_MS` | `1000` | a SEARCH, SORT, THREAD, COPY, MOVE or EXPUNGE still running after this many ms says `* OK [INPROGRESS]`, and again as often (RFC 9585); 0: at once; negative: never |
/// | `BUZON_IMAP_PROGRESS_SLICE` | `10000` | SEARCH asks the store about this many messages at a time, so INPROGRESS can count them; a slice the store answers within a tenth of the INPROGRESS interval makes the next one larger |
public struct IMAPConfiguration: GatewaySettings {
    public var basics: GatewayBasics
    public var host = "127.0.0.1"
    public var port = 2143
    public var tlsPort = 2993
    public var adminPort = 9143
    public var maxConnections = 5000
    public var maxConnectionsPerAddress = 100
    public var maxConnectionsPerUser = 50
    public var timeout: Duration = .seconds(1800)
    public var loginTimeout: Duration = .seconds(60)
    public var maxLoginFailures = 3
    public var maxMessageSize = 64 * 1024 * 1024
    public var allowPlaintextAuth = false
    public var loginDeadline = 60
    public var minLineRate = 32
    public var maxLineLength = IMAPDefaults.lineLength
    public var viewKeepSeconds = 300
    public var viewKeepMessages = 1_000_000
    public var maxMailboxKeywords = defaultMailboxKeywords
    public var inProgressMilliseconds = 1000
    public var progressSlice = 10_000
    public static let defaultMailboxKeywords = 256
    public var metadataMaxSize = defaultMetadataMaxSize
    public var metadataMaxEntries = defaultMetadataMaxEntries
    public var metadataAdmin: String?
    public var notifyMaxMailboxes = defaultNotifyMaxMailboxes
    public static let defaultMetadataMaxSize = 64 * 1024
    public static let defaultMetadataMaxEntries = 256
    public static let defaultNotifyMaxMailboxes = 100

    public init(internalToken: String) {
        basics = GatewayBasics(internalToken: internalToken)
    }

    public init(reader: ConfigReader) throws {
        basics = try GatewayBasics(reader: reader)
        host = reader.string("BUZON_IMAP_HOST", default: host)
        port = try reader.int("BUZON_IMAP_PORT", default: port)
        tlsPort = try reader.int("BUZON_IMAPS_PORT", default: tlsPort)
        adminPort = try reader.int("BUZON_IMAP_ADMIN_PORT", default: adminPort)
        maxConnections = try reader.int("BUZON_IMAP_MAX_CONNECTIONS", default: maxConnections)
        maxConnectionsPerAddress = try reader.int("BUZON_IMAP_MAX_CONNECTIONS_PER_ADDRESS", default: maxConnectionsPerAddress)
        maxConnectionsPerUser = try reader.int("BUZON_IMAP_MAX_CONNECTIONS_PER_USER", default: maxConnectionsPerUser)
        timeout = .seconds(try reader.int("BUZON_IMAP_TIMEOUT", default: 1800))
        loginTimeout = .seconds(try reader.int("BUZON_IMAP_LOGIN_TIMEOUT", default: 60))
        maxLoginFailures = try reader.int("BUZON_IMAP_MAX_LOGIN_FAILURES", default: maxLoginFailures)
        maxMessageSize = try reader.int("BUZON_IMAP_MAX_MESSAGE_SIZE", default: maxMessageSize)
        allowPlaintextAuth = try reader.bool("BUZON_IMAP_ALLOW_PLAINTEXT_AUTH", default: false)
        loginDeadline = try reader.int("BUZON_IMAP_LOGIN_DEADLINE", default: loginDeadline)
        minLineRate = try reader.int("BUZON_IMAP_MIN_LINE_RATE", default: minLineRate)
        maxLineLength = try reader.int("BUZON_IMAP_MAX_LINE_LENGTH", default: maxLineLength)
        viewKeepSeconds = try reader.int("BUZON_IMAP_VIEW_KEEP_SECONDS", default: viewKeepSeconds)
        viewKeepMessages = try reader.int("BUZON_IMAP_VIEW_KEEP_MESSAGES", default: viewKeepMessages)
        maxMailboxKeywords = try reader.int("BUZON_IMAP_MAX_MAILBOX_KEYWORDS", default: maxMailboxKeywords)
        inProgressMilliseconds = try reader.int("BUZON_IMAP_INPROGRESS_MS", default: inProgressMilliseconds)
        progressSlice = try reader.int("BUZON_IMAP_PROGRESS_SLICE", default: progressSlice)
        metadataMaxSize = try reader.int("BUZON_IMAP_METADATA_MAX_SIZE", default: metadataMaxSize)
        metadataMaxEntries = try reader.int("BUZON_IMAP_METADATA_MAX_ENTRIES", default: metadataMaxEntries)
        let admin = reader.string("BUZON_IMAP_METADATA_ADMIN", default: "")
        metadataAdmin = admin.isEmpty ? nil : admin
        notifyMaxMailboxes = try reader.int("BUZON_IMAP_NOTIFY_MAX_MAILBOXES", default: notifyMaxMailboxes)
    }

    /// The login deadline and the command-line floor of every connection.
    var deadlines: ConnectionDeadlines { ConnectionDeadlines(loginSeconds: loginDeadline, minimumLineRate: minLineRate) }
}
