/// The responses the server sends, named for what they mean, each with the response
/// code (RFC 2449 §8, RFC 3206) that tells a client how to react. Texts are generic
/// on purpose: details go to the log, not to the client.
extension POP3Response {
    // MARK: Success

    /// `+OK text`.
    public static func ok(_ text: String = "") -> POP3Response { POP3Response(.ok, nil, text) }
    /// `+OK host POP3 ready`: the greeting. RFC 1939 §4 (no APOP timestamp: we do not offer APOP).
    public static func greeting(_ host: String) -> POP3Response { POP3Response(.ok, nil, "\(host) POP3 ready") }
    /// `+OK Bye`: QUIT in the AUTHORIZATION state, or after a successful UPDATE. RFC 1939 §4, §6.
    public static let goodbye = POP3Response(.ok, nil, "Bye")
    /// `+OK Logged in`: PASS or AUTH succeeded and the maildrop is locked. RFC 1939 §7, RFC 5034 §4.
    public static let loggedIn = POP3Response(.ok, nil, "Logged in")
    /// `+OK Begin TLS negotiation`: the answer to STLS. RFC 2595 §4.
    public static let beginTLS = POP3Response(.ok, nil, "Begin TLS negotiation")
    /// `+OK Capability list follows`: precedes the CAPA body. RFC 2449 §5.
    public static let capabilityListFollows = POP3Response(.ok, nil, "Capability list follows")
    /// `+OK nn mm`: the drop listing for STAT. RFC 1939 §5.
    public static func dropListing(count: Int, octets: Int) -> POP3Response { POP3Response(.ok, nil, "\(count) \(octets)") }
    /// `+OK msg octets`: the scan listing for `LIST msg`. RFC 1939 §5.
    public static func scanListing(_ number: Int, octets: Int) -> POP3Response { POP3Response(.ok, nil, "\(number) \(octets)") }
    /// `+OK msg unique-id`: the listing for `UIDL msg`. RFC 1939 §7.
    public static func uniqueIDListing(_ number: Int, _ uniqueID: String) -> POP3Response {
        POP3Response(.ok, nil, "\(number) \(uniqueID)")
    }
    /// `+ base64`: a SASL challenge, maybe empty. RFC 5034 §4.
    public static func continuation(_ base64: String = "") -> POP3Response { POP3Response(.continuation, nil, base64) }

    // MARK: Syntax (the client's grammar)

    /// `-ERR Unknown command`. RFC 1939 §3.
    public static let unknownCommand = POP3Response(.err, nil, "Unknown command")
    /// `-ERR Syntax error`: not a command line (empty, control characters, not UTF-8).
    public static let syntaxError = POP3Response(.err, nil, "Syntax error")
    /// `-ERR Missing argument`.
    public static let missingArgument = POP3Response(.err, nil, "Missing argument")
    /// `-ERR Too many arguments`.
    public static let tooManyArguments = POP3Response(.err, nil, "Too many arguments")
    /// `-ERR Invalid message number`: not a decimal number.
    public static let invalidMessageNumber = POP3Response(.err, nil, "Invalid message number")
    /// `-ERR Argument too long`. RFC 1939 §3.
    public static let argumentTooLong = POP3Response(.err, nil, "Argument too long")
    /// `-ERR Invalid argument`.
    public static let invalidArgument = POP3Response(.err, nil, "Invalid argument")
    /// `-ERR Line too long`: the command exceeds `POP3Defaults.commandLineLength`. RFC 2449 §4.
    public static let lineTooLong = POP3Response(.err, nil, "Line too long")

    // MARK: State and messages (the client's fault)

    /// `-ERR Command not valid in this state`: e.g. RETR before login. RFC 1939 §3.
    public static let wrongState = POP3Response(.err, nil, "Command not valid in this state")
    /// `-ERR No such message`. RFC 1939 §5.
    public static let noSuchMessage = POP3Response(.err, nil, "No such message")
    /// `-ERR Message already deleted`: a number marked by DELE in this session. RFC 1939 §5.
    public static let messageDeleted = POP3Response(.err, nil, "Message already deleted")
    /// `-ERR APOP not supported`: we store no shared secrets in clear. RFC 1939 §7, §13.
    public static let apopNotSupported = POP3Response(.err, nil, "APOP not supported")
    /// `-ERR Command not permitted when TLS active`: STLS twice. RFC 2595 §4.
    public static let tlsAlreadyActive = POP3Response(.err, nil, "Command not permitted when TLS active")
    /// `-ERR [SYS/TEMP] TLS not available`: STLS without a certificate configured. RFC 2595 §4.
    public static let tlsNotAvailable = POP3Response(.err, .systemTemporary, "TLS not available")

    // MARK: Authentication

    /// `-ERR [AUTH] Authentication failed`: wrong user or password; deliberately one
    /// answer for both. RFC 3206 §4.
    public static let authFailed = POP3Response(.err, .auth, "Authentication failed")
    /// `-ERR [AUTH] Plaintext authentication requires TLS`: USER/PASS or AUTH PLAIN on
    /// a clear connection, which policy forbids (RFC 3206 §4 counts policy refusals as
    /// AUTH; RFC 2595 §2.2; Dovecot answers the same way).
    public static let tlsRequired = POP3Response(.err, .auth, "Plaintext authentication requires TLS (use STLS)")
    /// `-ERR [IN-USE] Mailbox in use`: another session holds the maildrop lock. RFC 2449 §8.1.
    public static let inUse = POP3Response(.err, .inUse, "Mailbox in use by another session")
    /// `-ERR [LOGIN-DELAY] Login attempted too soon`. RFC 2449 §8.1.
    public static let loginDelay = POP3Response(.err, .loginDelay, "Login attempted too soon")
    /// `-ERR Unrecognized authentication mechanism`. RFC 5034 §4.
    public static let unknownMechanism = POP3Response(.err, nil, "Unrecognized authentication mechanism")
    /// `-ERR Authentication cancelled`: the client answered a challenge with `*`. RFC 5034 §4.
    public static let authCancelled = POP3Response(.err, nil, "Authentication cancelled")
    /// `-ERR Invalid SASL response`: not base64, or not what the mechanism expects. RFC 5034 §4.
    public static let invalidSASLResponse = POP3Response(.err, nil, "Invalid SASL response")

    // MARK: Server failures (ours or a dependency's)

    /// `-ERR [SYS/TEMP] Temporary failure, try again later`: the store is unreachable. RFC 3206 §3.
    public static let tempFailure = POP3Response(.err, .systemTemporary, "Temporary failure, try again later")
    /// `-ERR [SYS/PERM] Permanent failure`: retrying will not help (e.g. the account is
    /// misconfigured). RFC 3206 §3.
    public static let permFailure = POP3Response(.err, .systemPermanent, "Permanent failure, contact your administrator")
    /// `-ERR [SYS/TEMP] Some deleted messages not removed`: QUIT's UPDATE failed. RFC 1939 §6.
    public static let updateFailed = POP3Response(.err, .systemTemporary, "Some deleted messages not removed")
    /// `-ERR [SYS/TEMP] Server shutting down`.
    public static let shuttingDown = POP3Response(.err, .systemTemporary, "Server shutting down, try again later")
    /// `-ERR [SYS/TEMP] Too many connections`: refused instead of the greeting.
    public static let tooManyConnections = POP3Response(.err, .systemTemporary, "Too many connections, try again later")
    /// `-ERR Too many errors, closing connection`.
    public static let tooManyErrors = POP3Response(.err, nil, "Too many errors, closing connection")
    /// `-ERR Autologout; idle for too long`: sent before closing an idle session
    /// (RFC 1939 §3 lets the server close silently; a line helps a human). No UPDATE
    /// happens.
    public static let autologout = POP3Response(.err, nil, "Autologout; idle for too long")
}
