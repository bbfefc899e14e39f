import IMAPProtocol

/// What a session needs to know about its gateway and its connection.
struct SessionSettings: Sendable {
    var hostname: String
    /// STARTTLS can be offered (a certificate is configured and the connection is not TLS yet).
    var tlsAvailable: Bool
    /// Passwords may be sent on this connection without TLS (loopback, or configuration).
    var plaintextAuthAllowed: Bool
    var maxLoginFailures = 3
    var maxMessageSize = IMAPDefaults.literalSize
    var timeoutSeconds = 1800
    var loginTimeoutSeconds = 60
    var clientAddress = "unknown"
    /// Updating searches (`RETURN (UPDATE)`, RFC 5267 §4.3.1) a session may hold; more are
    /// answered `* NO [NOUPDATE "tag"]`. Each keeps its result (4 bytes a message) and costs
    /// a store search per batch of changes (a few small SORTs for a SORT's arrivals), so a
    /// handful — a message list, an unread count, a flagged view — and not one per command.
    var maxUpdateContexts = 5
    /// The largest result a context keeps (UIDs, about 16 bytes each with its lookup set):
    /// beyond it the search is answered but not kept updating (NOUPDATE).
    var maxUpdateResult = 100_000
    /// Distinct keywords one mailbox may have: a STORE or APPEND that would add one more is
    /// refused, and PERMANENTFLAGS drops `\*` once it is full (RFC 3501 §7.1, RFC 9051 §7.1).
    /// Keywords are labels: Cyrus allows 128 per mailbox; each costs every FLAGS response.
    var maxMailboxKeywords = IMAPConfiguration.defaultMailboxKeywords
    /// A long command reports `* OK [INPROGRESS]` after this long, and as often (RFC 9585);
    /// nil: never.
    var inProgressAfter: Duration? = .seconds(1)
    /// SEARCH asks the store about this many messages at a time, counting them for INPROGRESS.
    var progressSlice = 10_000
    /// METADATA (RFC 5464): the largest value (`[METADATA MAXSIZE n]`), entries per mailbox or
    /// for the server (`[METADATA TOOMANY]`), and the server's `/shared/admin` (§3.2.1), nil
    /// for none.
    var metadataMaxSize = IMAPConfiguration.defaultMetadataMaxSize
    var metadataMaxEntries = IMAPConfiguration.defaultMetadataMaxEntries
    var metadataAdmin: String?
    /// NOTIFY (RFC 5465): mailboxes one batch of changes may report on with STATUS before the
    /// session sends `[NOTIFICATIONOVERFLOW]` and stops notifying (§5.8).
    var notifyMaxMailboxes = IMAPConfiguration.defaultNotifyMaxMailboxes
}

/// The session's state, RFC 9051 §3.
enum SessionState: Sendable, Equatable {
    case notAuthenticated
    case authenticated
    case selected
    case logout
}

/// What the connection must do after a command.
enum SessionDirective: Sendable, Equatable {
    case proceed
    case close
    /// Answer the STARTTLS command with this tag `OK` and install TLS, in one step on the
    /// event loop: a ClientHello sent right after the OK must meet the TLS handler.
    case startTLS(tag: String)
    /// Answer the COMPRESS command with this tag `OK`, then compress everything after it in
    /// both directions (RFC 4978 §3): the connection puts the deflate layer in place.
    case compress(tag: String)
}
