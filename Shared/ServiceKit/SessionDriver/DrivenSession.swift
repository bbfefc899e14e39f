/// A protocol session as a value: bytes and answers in, actions out (CONVENTIONS.md §4). It
/// opens no sockets, never waits and reads no clock; `SessionDriver` performs its actions.
///
/// Every action is one of four kinds (`step(_:)`): bytes for the peer, start TLS, close, or a
/// call the driver cannot perform itself (the store, a spool, the IMAP command runner), which
/// goes to the connection's `SessionCalls`. A session that returns a call returns it last and
/// reads no more input until `resume(_:)` brings the answer: that keeps replies in command
/// order under pipelining (RFC 2920, RFC 9051 §5.5) and bounds what a client can make us hold.
public protocol DrivenSession: Sendable {
    associatedtype Action: Sendable
    associatedtype Answer: Sendable

    /// What kind of action this is, for the driver.
    static func step(_ action: Action) -> DriverStep<Action>

    /// The connection is open (a server's greeting goes here).
    mutating func start() -> [Action]
    /// Bytes from the peer.
    mutating func receive(_ bytes: [UInt8]) -> [Action]
    /// The answer to the call the session is waiting for.
    mutating func resume(_ answer: Answer) -> [Action]
    /// The TLS handshake finished (after STARTTLS, or at once on an implicit-TLS port).
    mutating func tlsEstablished() -> [Action]
    /// Nothing arrived for `inactivityTimeout`, or a command line stayed unfinished that long
    /// or came slower than `ConnectionDeadlines.minimumLineRate`, or content came slower than
    /// `minimumDataRate`, or the session was not authenticated by `ConnectionDeadlines.login`.
    mutating func timedOut() -> [Action]
    /// The server is full and this connection, not authenticated and the oldest such, makes
    /// room for a new one (`ConnectionLimiter`; Dovecot's "Connection queue full"). Say so and
    /// close; by default, the session's `timedOut` words.
    mutating func evicted() -> [Action]
    /// The process is going down: between commands, say goodbye and close; in the middle of
    /// one, return nothing (the driver asks again after each step).
    mutating func shutdown() -> [Action]
    /// The connection ended without the session's own `.close`: the peer closed it (or the
    /// calls ended it: `nil`), or reading, writing or TLS failed (the error). Nothing can be written any more; the
    /// driver performs only the calls returned (a client reports what became of its work).
    mutating func connectionEnded(_ error: (any Error)?) -> [Action]

    /// The peer has logged in: no login deadline applies any more, and the connection is never
    /// evicted to make room (`ConnectionLimiter`). A client session (the relay's) is always
    /// authenticated in this sense; an MX session never is.
    var isAuthenticated: Bool { get }
    /// Work done that starts the login deadline again when it grows (messages accepted on port
    /// 25, where nobody logs in: a sender that keeps delivering is not cut in the middle).
    var progress: Int { get }
    /// How long the peer may stay silent now (it may change, e.g. at login).
    var inactivityTimeout: Duration { get }
    /// A command line has begun but not ended: it too must end within `inactivityTimeout`.
    var hasPartialCommand: Bool { get }
    /// While message content is arriving: the bytes a second it must average once it has
    /// taken longer than `inactivityTimeout` (Postfix's `smtpd_min_data_rate` idea).
    var minimumDataRate: Int? { get }
    /// `inactivityTimeout` also counts from the session's last write, not only from the
    /// peer's last input: a client waits for the reply to what it sent (RFC 5321 §4.5.3.2),
    /// e.g. the EHLO sent when the TLS handshake ends. Servers keep the default, `false`.
    static var timeoutCountsFromWrites: Bool { get }
}

extension DrivenSession {
    public var hasPartialCommand: Bool { false }
    public var progress: Int { 0 }
    public mutating func evicted() -> [Action] { timedOut() }
    public var minimumDataRate: Int? { nil }
    public mutating func connectionEnded(_ error: (any Error)?) -> [Action] { [] }
    public static var timeoutCountsFromWrites: Bool { false }
}

/// How the driver performs one action.
public enum DriverStep<Action: Sendable>: Sendable {
    /// Send these bytes (queued; flushed before the driver waits for anything).
    case write([UInt8])
    /// Flush, then begin the TLS handshake. Input that was already read is plaintext the
    /// peer sent before the handshake, and is dropped (RFC 3207 §4.2, RFC 2595 §4, RFC 9051
    /// §11.1: the STARTTLS command-injection bugs, CVE-2011-0411).
    case startTLS
    /// Flush and close.
    case close
    /// Hand the action to the connection's `SessionCalls`.
    case call(Action)
}

/// What a session's calls run against: the store client, a spool, the maildrop lock. One
/// value per connection, owned by the driver's task, so it needs no locking.
public protocol SessionCalls: SendableMetatype {
    associatedtype Action: Sendable
    associatedtype Answer: Sendable

    /// Performs `action`. Answers `nil` when the session waits for nothing (spooling a chunk
    /// of content); the answer otherwise. It may write to the peer itself (a POP3 message is
    /// streamed from the store) through `output`.
    mutating func perform(_ action: Action, output: any DriverOutput) async -> Answer?
    /// Once a second between inputs; `false` ends the connection (a lost maildrop lock).
    mutating func tick() async -> Bool
    /// The connection is gone: give back what it held.
    mutating func finished() async
}

extension SessionCalls {
    public mutating func tick() async -> Bool { true }
    public mutating func finished() async {}
}
