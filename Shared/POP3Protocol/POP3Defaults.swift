/// The POP3 grammar for both sides: the pop3-gateway's server and future fetchers.
/// Bytes in, values out; values in, bytes out; no sockets.
///
/// Every limit the grammar keeps, as a named default with its reason. Parsers take
/// these as parameters, so a service can loosen one without touching the grammar.
public enum POP3Defaults {
    /// A command line, keyword and CRLF included. RFC 2449 §4 raised it from RFC 1939's
    /// 47 octets so that longer user names and passwords fit.
    public static let commandLineLength = 255  // RFC 2449 §4

    /// A SASL client response line during AUTH (base64, CRLF included). RFC 5034 §4 lets
    /// responses exceed the command line limit; a PLAIN response with a long password
    /// and authorization identity is a few hundred octets, other mechanisms more. 8 KiB
    /// bounds memory and fits every mechanism we may offer.
    public static let saslLineLength = 8 * 1024  // RFC 5034 §4

    /// One argument of a command. RFC 1939 §3 says 40 characters; RFC 2449 §4 raised the
    /// line so USER names and PASS strings may be longer, so the parser applies this
    /// only to token arguments (message numbers, SASL mechanisms, APOP's name and digest).
    public static let argumentLength = 40  // RFC 1939 §3

    /// The first line of a response (status, the greeting), CRLF included. RFC 1939 §3
    /// and RFC 2449 §4. The server's encoder shortens texts to fit.
    public static let responseLineLength = 512  // RFC 2449 §4

    /// The status line length the client side accepts. SASL challenges (`+ base64`)
    /// are not bound by the 512 octets and some servers send long texts; refusing them
    /// would turn a clear answer into a protocol error.
    public static let tolerantResponseLineLength = 8 * 1024

    /// The largest message number. RFC 1939 §3 only says numbers start at 1; we bound
    /// them so every client's 32-bit integer holds them, and a digit string can never
    /// overflow the parser.
    public static let maxMessageNumber = Int(Int32.max)

    /// The largest line count TOP accepts: the same bound as message numbers, since a
    /// larger count means "the whole body" anyway. RFC 1939 §7 (non-negative).
    public static let maxTopLines = Int(Int32.max)

    /// Characters of a unique-id listing. RFC 1939 §7: 1 to 70 characters in 0x21–0x7E.
    public static let uniqueIDLength = 70  // RFC 1939 §7

    /// Characters of a SASL mechanism name. RFC 4422 §3.1.
    public static let saslMechanismLength = 20  // RFC 4422 §3.1

    /// The inactivity autologout timer. RFC 1939 §3: "at least 10 minutes".
    public static let autologout: Duration = .seconds(10 * 60)  // RFC 1939 §3
}
