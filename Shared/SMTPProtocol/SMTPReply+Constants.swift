/// The replies the server sends, named for what they mean, each with the RFC 3463
/// enhanced code RFC 5321 §4.2 and the extension that defines it pair it with.
/// Texts are generic on purpose: details go to the log, not to the client.
extension SMTPReply {
    // MARK: Connection

    /// `220 host ESMTP ready`: the greeting. RFC 5321 §4.2, §4.3.1.
    public static func serviceReady(_ host: String) -> SMTPReply { SMTPReply(220, nil, "\(host) ESMTP ready") }
    /// `221 2.0.0 Bye`: the answer to QUIT. RFC 5321 §4.1.1.10.
    public static let closing = SMTPReply(221, EnhancedStatusCode(2, 0, 0), "Bye")
    /// `421 4.7.0`: refused at connect, too many connections from this client. RFC 5321 §3.8.
    public static let tooManyConnections = SMTPReply(421, EnhancedStatusCode(4, 7, 0), "Too many connections, try again later")
    /// `421 4.3.2`: the server is shutting down. RFC 5321 §3.8, RFC 3463 §3.4.
    public static let shuttingDown = SMTPReply(421, EnhancedStatusCode(4, 3, 2), "Service shutting down, try again later")
    /// `421 4.4.2`: the client was idle too long. RFC 5321 §4.5.3.2.7, RFC 3463 §3.5.
    public static let timeout = SMTPReply(421, EnhancedStatusCode(4, 4, 2), "Timeout, closing connection")
    /// `421 4.7.0`: too many errors in this session; closing.
    public static let tooManyErrors = SMTPReply(421, EnhancedStatusCode(4, 7, 0), "Too many errors, closing connection")

    // MARK: Success

    /// `250 2.0.0 OK`. RFC 5321 §4.2.2.
    public static let ok = SMTPReply(250, EnhancedStatusCode(2, 0, 0), "OK")
    /// `250 2.1.0`: MAIL accepted. RFC 3463 §3.2 (X.1.0 other address status).
    public static let okSender = SMTPReply(250, EnhancedStatusCode(2, 1, 0), "Sender OK")
    /// `250 2.1.5`: RCPT accepted. RFC 3463 §3.2 (X.1.5 destination address valid).
    public static let okRecipient = SMTPReply(250, EnhancedStatusCode(2, 1, 5), "Recipient OK")
    /// `250 2.0.0 OK: queued as <id>`: the message is stored durably.
    public static func messageAccepted(_ id: String) -> SMTPReply {
        SMTPReply(250, EnhancedStatusCode(2, 0, 0), "OK: queued as \(id)")
    }
    /// `354`: send the message, end with `<CRLF>.<CRLF>`. RFC 5321 §4.1.1.4 (no enhanced code: 3yz).
    public static let startMailInput = SMTPReply(354, nil, "Start mail input; end with <CRLF>.<CRLF>")
    /// `214 2.0.0`: the answer to HELP. RFC 5321 §4.1.1.8.
    public static let help = SMTPReply(214, EnhancedStatusCode(2, 0, 0), "See RFC 5321")
    /// `252 2.1.5`: VRFY is not answered, but mail will be tried. RFC 5321 §3.5.3, §7.3.
    public static let cannotVRFY = SMTPReply(
        252, EnhancedStatusCode(2, 1, 5), "Cannot VRFY user, but will accept message and attempt delivery")
    /// `220 2.0.0`: go ahead with the TLS handshake. RFC 3207 §4.
    public static let readyToStartTLS = SMTPReply(220, EnhancedStatusCode(2, 0, 0), "Ready to start TLS")

    // MARK: Syntax (the client's grammar)

    /// `500 5.5.1`: the verb is unknown. RFC 5321 §4.2.4, RFC 3463 §3.6 (X.5.1 invalid command).
    public static let commandUnrecognized = SMTPReply(500, EnhancedStatusCode(5, 5, 1), "Command unrecognized")
    /// `500 5.5.2`: the line is not a command at all. RFC 3463 §3.6 (X.5.2 syntax error).
    public static let syntaxError = SMTPReply(500, EnhancedStatusCode(5, 5, 2), "Syntax error")
    /// `500 5.5.6`: the line exceeds the command line limit. RFC 5321 §4.5.3.1.10, RFC 3463 §3.6.
    public static let lineTooLong = SMTPReply(500, EnhancedStatusCode(5, 5, 6), "Line too long")
    /// `501 5.5.4`: bad arguments. RFC 5321 §4.2.2, RFC 3463 §3.6 (X.5.4 invalid arguments).
    public static let parameterSyntax = SMTPReply(501, EnhancedStatusCode(5, 5, 4), "Syntax error in parameters")
    /// `501 5.1.7`: the MAIL FROM path is malformed. RFC 3463 §3.2 (X.1.7 bad sender address syntax).
    public static let badSenderAddress = SMTPReply(501, EnhancedStatusCode(5, 1, 7), "Bad sender address syntax")
    /// `501 5.1.3`: the RCPT TO path is malformed. RFC 3463 §3.2 (X.1.3 bad destination address syntax).
    public static let badRecipientAddress = SMTPReply(501, EnhancedStatusCode(5, 1, 3), "Bad recipient address syntax")
    /// `555 5.5.4`: a MAIL/RCPT parameter we do not know or did not announce. RFC 5321 §4.1.1.11.
    public static let parameterNotRecognized = SMTPReply(
        555, EnhancedStatusCode(5, 5, 4), "MAIL FROM/RCPT TO parameters not recognized or not implemented")
    /// `502 5.5.1`: a known command we do not implement (EXPN). RFC 5321 §4.2.4.
    public static let commandNotImplemented = SMTPReply(502, EnhancedStatusCode(5, 5, 1), "Command not implemented")
    /// `504 5.5.4`: a known command with an argument we do not implement. RFC 5321 §4.2.4.
    public static let parameterNotImplemented = SMTPReply(504, EnhancedStatusCode(5, 5, 4), "Command parameter not implemented")

    // MARK: Sequence

    /// `503 5.5.1`: the command is not allowed now. RFC 5321 §4.1.4.
    public static let badSequence = SMTPReply(503, EnhancedStatusCode(5, 5, 1), "Bad sequence of commands")
    /// `503 5.5.1`: MAIL before HELO/EHLO. RFC 5321 §4.1.4.
    public static let heloFirst = SMTPReply(503, EnhancedStatusCode(5, 5, 1), "Send HELO/EHLO first")
    /// `503 5.5.1`: RCPT or DATA before MAIL. RFC 5321 §4.1.4.
    public static let mailFirst = SMTPReply(503, EnhancedStatusCode(5, 5, 1), "Send MAIL first")
    /// `554 5.5.1`: DATA with no accepted recipient. RFC 5321 §3.3, RFC 2920 §3.1.
    public static let noValidRecipients = SMTPReply(554, EnhancedStatusCode(5, 5, 1), "No valid recipients")
    /// `503 5.5.1`: a second MAIL inside a transaction, or AUTH after AUTH. RFC 5321 §4.1.4, RFC 4954 §4.
    public static let alreadyDone = SMTPReply(503, EnhancedStatusCode(5, 5, 1), "Already done")

    // MARK: Addresses and policy (the client's fault)

    /// `550 5.1.1`: no such mailbox here. RFC 3463 §3.2 (X.1.1 bad destination mailbox).
    public static let mailboxUnavailable = SMTPReply(550, EnhancedStatusCode(5, 1, 1), "Mailbox unavailable")
    /// `554 5.7.1`: the recipient's domain is not ours and the client may not relay. RFC 5321 §3.6.2, §7.1.
    public static let relayDenied = SMTPReply(554, EnhancedStatusCode(5, 7, 1), "Relay access denied")
    /// `553 5.7.1`: an authenticated user sends as an address they do not own. RFC 4954 §5, RFC 6409 §6.1.
    public static let senderNotOwned = SMTPReply(553, EnhancedStatusCode(5, 7, 1), "Sender address not owned by user")
    /// `452 4.5.3`: the recipient limit is reached; the client retries the rest. RFC 5321 §4.5.3.1.10.
    public static let tooManyRecipients = SMTPReply(452, EnhancedStatusCode(4, 5, 3), "Too many recipients")
    /// `552 5.3.4`: the message exceeds SIZE. RFC 1870 §6.1, RFC 3463 §3.4.
    public static let messageTooBig = SMTPReply(552, EnhancedStatusCode(5, 3, 4), "Message size exceeds fixed limit")
    /// `500 5.5.6`: a message line exceeds even the tolerant limit. RFC 3463 §3.6.
    public static let messageLineTooLong = SMTPReply(500, EnhancedStatusCode(5, 5, 6), "Message line too long")
    /// `553 5.6.7`: a non-ASCII address without SMTPUTF8. RFC 6531 §3.5, RFC 6533 §4.
    public static let smtpUTF8Required = SMTPReply(553, EnhancedStatusCode(5, 6, 7), "Non-ASCII address requires SMTPUTF8")
    /// `554 5.6.0`: the content is refused (e.g. NUL bytes). RFC 3463 §3.7.
    public static let contentRejected = SMTPReply(554, EnhancedStatusCode(5, 6, 0), "Message content rejected")

    // MARK: Server failures (ours or a dependency's)

    /// `451 4.3.0`: a local error; try again later. RFC 3463 §3.4 (X.3.0 other mail system status).
    public static let temporaryFailure = SMTPReply(451, EnhancedStatusCode(4, 3, 0), "Temporary failure, try again later")
    /// `452 4.3.1`: out of storage. RFC 3463 §3.4 (X.3.1 mail system full).
    public static let insufficientStorage = SMTPReply(452, EnhancedStatusCode(4, 3, 1), "Insufficient system storage")

    // MARK: STARTTLS and AUTH

    /// `530 5.7.0`: this command needs a TLS session first. RFC 3207 §4.
    public static let encryptionRequired = SMTPReply(530, EnhancedStatusCode(5, 7, 0), "Must issue a STARTTLS command first")
    /// `454 4.7.0`: TLS cannot start now. RFC 3207 §4.
    public static let tlsNotAvailable = SMTPReply(454, EnhancedStatusCode(4, 7, 0), "TLS not available due to temporary reason")
    /// `530 5.7.0`: this command needs authentication first. RFC 4954 §6.
    public static let authRequired = SMTPReply(530, EnhancedStatusCode(5, 7, 0), "Authentication required")
    /// `235 2.7.0`. RFC 4954 §6.
    public static let authSucceeded = SMTPReply(235, EnhancedStatusCode(2, 7, 0), "Authentication successful")
    /// `535 5.7.8`: wrong credentials. RFC 4954 §6.
    public static let authFailed = SMTPReply(535, EnhancedStatusCode(5, 7, 8), "Authentication credentials invalid")
    /// `534 5.7.9`: this mechanism is too weak for policy. RFC 4954 §6.
    public static let authTooWeak = SMTPReply(534, EnhancedStatusCode(5, 7, 9), "Authentication mechanism is too weak")
    /// `538 5.7.11`: this mechanism needs TLS. RFC 4954 §6.
    public static let authNeedsEncryption = SMTPReply(
        538, EnhancedStatusCode(5, 7, 11), "Encryption required for requested authentication mechanism")
    /// `504 5.5.4`: unknown SASL mechanism. RFC 4954 §4.
    public static let authMechanismUnknown = SMTPReply(504, EnhancedStatusCode(5, 5, 4), "Unrecognized authentication type")
    /// `501 5.0.0`: the client cancelled with `*`. RFC 4954 §4.
    public static let authCancelled = SMTPReply(501, EnhancedStatusCode(5, 0, 0), "Authentication cancelled")
    /// `501 5.5.2`: a SASL response that is not valid base64 or not valid for the mechanism. RFC 4954 §4.
    public static let authResponseInvalid = SMTPReply(501, EnhancedStatusCode(5, 5, 2), "Cannot decode response")
    /// `454 4.7.0`: the credential store is unreachable. RFC 4954 §6.
    public static let authTemporaryFailure = SMTPReply(454, EnhancedStatusCode(4, 7, 0), "Temporary authentication failure")
    /// `334 <base64>`: a SASL challenge (may be empty). RFC 4954 §4 (no enhanced code: 3yz).
    public static func authChallenge(_ base64: String) -> SMTPReply { SMTPReply(334, nil, base64) }
}
