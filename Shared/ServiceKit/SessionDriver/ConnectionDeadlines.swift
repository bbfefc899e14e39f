/// What a server connection must get done in time, beyond the session's own silence clock
/// (`DrivenSession.inactivityTimeout`), which any byte resets: a peer that trickles a byte
/// now and then is never silent, so silence alone lets thousands of such connections hold a
/// gateway's slots for ever (issue 11).
///
/// - `login`: a total time from the start of the connection to `isAuthenticated`, however
///   busy the peer is. RFC 9051 §5.4 lets a server close an unauthenticated connection;
///   Dovecot's login processes do much the same. On port 25, where nobody logs in, it bounds
///   the whole session (RFC 5321 §4.5.3.2 sets no upper bound, and asks only for patience
///   per command); content that arrives at the session's `minimumDataRate` is not cut by it,
///   the session ends at the first check after the content.
/// - `minimumLineRate`: a command line (before or after login) that has been unfinished for
///   `lineRateGrace` must have come at this many bytes a second on average since it began —
///   Postfix's `smtpd_min_data_rate` idea for command lines. Clients send whole lines at once,
///   so only a peer that drips its commands meets it.
public struct ConnectionDeadlines: Sendable {
    /// From the start of the connection to the session's `isAuthenticated`; nil: none.
    public var login: Duration?
    /// Bytes a second an unfinished command line must average; nil: no floor.
    public var minimumLineRate: Int?

    /// How long a command line may stay unfinished before its rate is checked: long enough
    /// for any link to deliver a line, short next to every timeout.
    public static let lineRateGrace: Duration = .seconds(10)
    /// No deadline, no floor (the relay's client connections).
    public static let none = ConnectionDeadlines()

    public init(login: Duration? = nil, minimumLineRate: Int? = nil) {
        self.login = login
        self.minimumLineRate = minimumLineRate
    }

    /// From configuration, where 0 turns a limit off: `login` in seconds, the rate in bytes a
    /// second.
    public init(loginSeconds: Int, minimumLineRate: Int) {
        self.init(
            login: loginSeconds > 0 ? .seconds(loginSeconds) : nil, minimumLineRate: minimumLineRate > 0 ? minimumLineRate : nil)
    }
}
