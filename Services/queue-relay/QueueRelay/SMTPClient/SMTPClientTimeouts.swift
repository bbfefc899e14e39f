import SMTPProtocol

/// How long the client waits at each step, RFC 5321 §4.5.3.2. The RFC's figures are minimums
/// ("SHOULD be at least"); the relay uses them as they are unless `BUZON_RELAY_TIMEOUT` sets
/// one figure for every step (`uniform`).
struct SMTPClientTimeouts: Sendable, Equatable {
    /// The 220 greeting. RFC 5321 §4.5.3.2.1.
    var greeting = SMTPDefaults.Timeout.initial
    /// The reply to MAIL. RFC 5321 §4.5.3.2.2.
    var mail = SMTPDefaults.Timeout.mail
    /// Each reply to RCPT. RFC 5321 §4.5.3.2.3.
    var rcpt = SMTPDefaults.Timeout.rcpt
    /// The 354 after DATA. RFC 5321 §4.5.3.2.4.
    var dataInitiation = SMTPDefaults.Timeout.dataInitiation
    /// Each write of a block of the content. RFC 5321 §4.5.3.2.5.
    var dataBlock = SMTPDefaults.Timeout.dataBlock
    /// The reply after the final dot: the server is storing the message. RFC 5321 §4.5.3.2.6.
    var dataTermination = SMTPDefaults.Timeout.dataTermination
    /// EHLO, HELO, STARTTLS, the TLS handshake and RSET, for which RFC 5321 names none: as long
    /// as MAIL (Postfix's smtp_helo_timeout and smtp_starttls_timeout are 300 s too).
    var command: Duration = .seconds(5 * 60)
    /// The reply to QUIT: a courtesy, nothing depends on it.
    var quit: Duration = .seconds(2)
    /// An idle session waiting for the next message before it says QUIT (ConnectionCache).
    var idle: Duration = .seconds(5)

    /// The table of RFC 5321 §4.5.3.2.
    static let rfc5321 = SMTPClientTimeouts()

    /// One figure for every wait, the end of DATA twice as long: `BUZON_RELAY_TIMEOUT`.
    static func uniform(_ base: Duration) -> SMTPClientTimeouts {
        var t = SMTPClientTimeouts()
        t.greeting = base
        t.mail = base
        t.rcpt = base
        t.dataInitiation = base
        t.dataBlock = base
        t.dataTermination = base * 2
        t.command = base
        return t
    }
}
