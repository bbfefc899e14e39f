import SASL
import SMTPProtocol
import StoreAPI

/// The three doors of the smtp-gateway (RFC 5321 §2.3.5; RFC 6409 submission; RFC 8314 §3
/// implicit TLS). Which commands are allowed, and what a message may do, depends on the door.
public enum Listener: String, Sendable {
    /// Port 25: mail from other servers for our domains only; no AUTH, no relaying.
    case mx
    /// Port 587: our users' clients; STARTTLS, then AUTH, then MAIL.
    case submission
    /// Port 465: as submission, with TLS from the first byte.
    case submissions

    var isSubmission: Bool { self != .mx }
}

/// What a session decides; the connection driver performs it and decides nothing.
public enum SessionAction: Sendable, Equatable {
    case reply(SMTPReply)
    /// Start the TLS handshake now; the `220` has been queued before this action.
    case startTLS
    /// Flush what was written and close the connection.
    case close
    /// Ask the store whether these credentials are good.
    case verifyLogin(username: String, password: String)
    /// SCRAM-SHA-256: ask the store for a salt, or to check a proof (`StoreAnswer.scramSalt`, `.login`).
    case scram(SCRAMStoreCall)
    /// Ask the store which accounts an address reaches (sender ownership or a recipient).
    case lookup(address: String)
    /// A new message body begins: drop whatever an earlier, abandoned one left behind.
    case beginContent
    /// The next bytes of the message body (after dot-unstuffing), in order.
    case content([UInt8])
    /// Hand the finished message to the store in one durable write: `prefix` (the trace
    /// headers the gateway adds) followed by the content received since `beginContent`.
    case deliver(prefix: [UInt8], envelope: DeliveryEnvelope, idempotencyKey: String)
}

/// The store's answer to the last store action.
public enum StoreAnswer: Sendable, Equatable {
    /// A password or SCRAM check (with the ServerSignature for SCRAM).
    case login(LoginResult)
    /// SCRAM start: the salt and iteration count.
    case scramSalt(SCRAMStartResult)
    case recipient(RecipientInfo)
    case delivered(DeliveryResult)
    /// The store said the request was invalid (a 4xx): a permanent answer about this input.
    case rejected(code: String)
    /// The store could not be reached or failed: a temporary condition (`451 4.3.0`).
    case unavailable
    /// The message content could not be spooled (disk full): `452`, and the session ends.
    case spoolFailed
}

/// The limits and identity a session runs with.
public struct SessionSettings: Sendable {
    /// Our host name, in the greeting, EHLO and Received (RFC 5321 §4.1.1.1).
    public var hostname: String
    public var maxMessageSize: Int
    public var maxRecipients: Int
    /// Certificates are configured: STARTTLS may be offered.
    public var tlsAvailable: Bool
    /// Allow AUTH on a plaintext submission connection (tests, or a trusted network).
    public var allowPlaintextAuth: Bool
    /// Syntax errors and refused commands before we hang up (RFC 5321 §4.3.2 allows closing).
    public var maxErrors: Int
    /// Failed AUTH attempts on one connection before we hang up.
    public var maxAuthFailures: Int
    /// Bytes a second that message content must arrive at, on average, once it has taken
    /// longer than the timeout.
    public var minDataRate: Int
    /// Silence (or an unfinished command line) allowed before `421` (RFC 5321 §4.5.3.2: at
    /// least 5 minutes).
    public var timeout: Duration

    public init(
        hostname: String, maxMessageSize: Int = SMTPDefaults.messageSize, maxRecipients: Int = SMTPDefaults.maxRecipients,
        tlsAvailable: Bool = true, allowPlaintextAuth: Bool = false, maxErrors: Int = 20, maxAuthFailures: Int = 3,
        minDataRate: Int = 500, timeout: Duration = .seconds(300)
    ) {
        self.minDataRate = minDataRate
        self.timeout = timeout
        self.hostname = hostname
        self.maxMessageSize = maxMessageSize
        self.maxRecipients = maxRecipients
        self.tlsAvailable = tlsAvailable
        self.allowPlaintextAuth = allowPlaintextAuth
        self.maxErrors = maxErrors
        self.maxAuthFailures = maxAuthFailures
    }
}
