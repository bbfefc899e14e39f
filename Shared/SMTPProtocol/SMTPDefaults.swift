/// The SMTP grammar for both sides: the smtp-gateway's server and the queue-relay's client.
/// Bytes in, values out; values in, bytes out; no sockets.
///
/// Every limit the grammar keeps, as a named default with its reason. Parsers take
/// these as parameters, so a service can loosen one without touching the grammar.
public enum SMTPDefaults {
    /// A command line, verb and CRLF included. RFC 5321 §4.5.3.1.4.
    public static let commandLineLength = 512  // RFC 5321 §4.5.3.1.4

    /// A command line carrying an AUTH initial response: RFC 4954 §4 raises the
    /// limit to 12,288 octets so a base64 response fits on the command line.
    public static let authCommandLineLength = 12_288  // RFC 4954 §4

    /// A line of message text, CRLF included. RFC 5321 §4.5.3.1.6.
    public static let textLineLength = 1_000  // RFC 5321 §4.5.3.1.6

    /// The text line length we tolerate before reporting a line as over-long.
    /// Real mail (HTML from generators, long base64 without breaks) exceeds 1,000
    /// octets; we never cut a message, so we only report beyond 64 KiB.
    public static let tolerantTextLineLength = 64 * 1024

    /// A reply line, code and CRLF included. RFC 5321 §4.5.3.1.5.
    public static let replyLineLength = 512  // RFC 5321 §4.5.3.1.5

    /// The reply line length the client side accepts. Real servers send longer
    /// lines (policy URLs in 5xx texts); refusing them would turn a clear answer
    /// into a protocol error, so the client accepts up to 8 KiB.
    public static let tolerantReplyLineLength = 8 * 1024

    /// Lines in one multi-line reply the client side accepts: bounds memory
    /// against a server that never sends the final line. EHLO replies have ~15.
    public static let maxReplyLines = 1_000

    /// Recipients a server must accept per transaction at least. RFC 5321 §4.5.3.1.8.
    public static let maxRecipients = 100  // RFC 5321 §4.5.3.1.8

    /// The message size we announce with SIZE (RFC 1870) and enforce: 25 MiB, what
    /// the large providers accept, so a message that reached them reaches us.
    public static let messageSize = 25 * 1024 * 1024

    /// Octets of a local part. RFC 5321 §4.5.3.1.1.
    public static let localPartLength = 64  // RFC 5321 §4.5.3.1.1

    /// Octets of a domain name. RFC 5321 §4.5.3.1.2.
    public static let domainLength = 255  // RFC 5321 §4.5.3.1.2

    /// Octets of one domain label. RFC 1035 §2.3.4.
    public static let domainLabelLength = 63  // RFC 1035 §2.3.4

    /// Octets of a reverse- or forward-path, punctuation included. RFC 5321 §4.5.3.1.3.
    public static let pathLength = 256  // RFC 5321 §4.5.3.1.3

    /// Octets of an ENVID value after xtext decoding. RFC 3461 §4.4.
    public static let envelopeIDLength = 100  // RFC 3461 §4.4

    /// The timeouts of RFC 5321 §4.5.3.2: how long each side waits for the other.
    public enum Timeout {
        /// Client: waiting for the 220 greeting. RFC 5321 §4.5.3.2.1.
        public static let initial: Duration = .seconds(5 * 60)  // RFC 5321 §4.5.3.2.1
        /// Client: waiting for the reply to MAIL. RFC 5321 §4.5.3.2.2.
        public static let mail: Duration = .seconds(5 * 60)  // RFC 5321 §4.5.3.2.2
        /// Client: waiting for the reply to RCPT. RFC 5321 §4.5.3.2.3.
        public static let rcpt: Duration = .seconds(5 * 60)  // RFC 5321 §4.5.3.2.3
        /// Client: waiting for the 354 after DATA. RFC 5321 §4.5.3.2.4.
        public static let dataInitiation: Duration = .seconds(2 * 60)  // RFC 5321 §4.5.3.2.4
        /// Client: each TCP SEND of a data block. RFC 5321 §4.5.3.2.5.
        public static let dataBlock: Duration = .seconds(3 * 60)  // RFC 5321 §4.5.3.2.5
        /// Client: waiting for the reply after the final "." (the server is
        /// storing the message). RFC 5321 §4.5.3.2.6.
        public static let dataTermination: Duration = .seconds(10 * 60)  // RFC 5321 §4.5.3.2.6
        /// Server: waiting for the next command or data. RFC 5321 §4.5.3.2.7.
        public static let server: Duration = .seconds(5 * 60)  // RFC 5321 §4.5.3.2.7
    }
}
