import POP3Protocol
import SASL
import StoreAPI

/// What a POP3 session decides; the connection driver performs it and decides nothing.
public enum SessionAction: Sendable, Equatable {
    case reply(POP3Response)
    /// A complete multi-line response, already encoded (CAPA, LIST, UIDL).
    case raw([UInt8])
    /// Start TLS now; `+OK Begin TLS negotiation` has been queued before this action.
    case startTLS
    /// Flush what was written and close the connection (the driver also releases the lock).
    case close
    /// Ask the store whether these credentials are good.
    case verifyLogin(username: String, password: String)
    /// SCRAM-SHA-256: ask the store for a salt, or to check a proof (`StoreAnswer.scramSalt`, `.login`).
    case scram(SCRAMStoreCall)
    /// Take the maildrop lock of the account and list its INBOX (RFC 1939 §8: both happen
    /// when the session enters TRANSACTION).
    case openMaildrop(account: String)
    /// Send `+OK`, the message (whole, or the header and `lines` body lines for TOP),
    /// dot-stuffed, and the final `.`; streamed from the store.
    case sendMessage(uid: UInt32, size: Int, lines: Int?)
    /// UPDATE state: expunge these UIDs from the INBOX (RFC 1939 §6).
    case expunge(uids: [UInt32])
}

/// One message of the maildrop as the session sees it.
public struct MaildropEntry: Sendable, Equatable {
    public var uid: UInt32
    public var size: Int
    public init(uid: UInt32, size: Int) {
        self.uid = uid
        self.size = size
    }
}

/// The answers to the store actions above.
public enum StoreAnswer: Sendable, Equatable {
    /// A password or SCRAM check (with the ServerSignature for SCRAM).
    case login(LoginResult)
    /// SCRAM start: the salt and iteration count.
    case scramSalt(SCRAMStartResult)
    /// The maildrop is ours: its UIDVALIDITY and messages in UID order.
    case maildrop(uidValidity: UInt32, messages: [MaildropEntry])
    /// Another session holds the maildrop lock.
    case inUse
    /// The message went out whole.
    case sent
    /// The message could not be read before anything was sent: the session goes on.
    case notSent
    case expunged
    /// The store could not be reached or failed.
    case unavailable
}

public struct SessionSettings: Sendable {
    public var hostname: String
    public var tlsAvailable: Bool
    /// Passwords are accepted without TLS (a loopback client, or configuration says so).
    public var plaintextAuthAllowed: Bool
    public var maxErrors: Int
    public var maxAuthFailures: Int
    /// The autologout timer (RFC 1939 §3: at least 10 minutes).
    public var timeout: Duration

    public init(
        hostname: String, tlsAvailable: Bool = true, plaintextAuthAllowed: Bool = false,
        maxErrors: Int = 20, maxAuthFailures: Int = 3, timeout: Duration = POP3Defaults.autologout
    ) {
        self.timeout = timeout
        self.hostname = hostname
        self.tlsAvailable = tlsAvailable
        self.plaintextAuthAllowed = plaintextAuthAllowed
        self.maxErrors = maxErrors
        self.maxAuthFailures = maxAuthFailures
    }
}
