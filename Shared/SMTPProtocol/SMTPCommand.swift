import LineFraming

/// One SMTP command, RFC 5321 §4.1.1, with the extensions we speak: BDAT (RFC 3030),
/// STARTTLS (RFC 3207), AUTH (RFC 4954).
///
/// ```
/// C: EHLO client.example.org
/// C: MAIL FROM:<alice@example.org> SIZE=1024
/// C: RCPT TO:<bob@example.net> NOTIFY=FAILURE
/// C: DATA
/// ```
/// Parse with `SMTPCommandParser`; `encoded` writes the line for the client side.
public enum SMTPCommand: Sendable, Hashable {
    /// `HELO domain`, the argument as written. RFC 5321 §4.1.1.1.
    case helo(String)
    /// `EHLO domain-or-address-literal`, the argument as written. RFC 5321 §4.1.1.1.
    case ehlo(String)
    /// `MAIL FROM:<reverse-path> [params]`. RFC 5321 §4.1.1.2.
    case mail(from: SMTPPath, parameters: MailParameters)
    /// `RCPT TO:<forward-path> [params]`. RFC 5321 §4.1.1.3.
    case rcpt(to: SMTPPath, parameters: RcptParameters)
    /// `DATA`. RFC 5321 §4.1.1.4.
    case data
    /// `BDAT size [LAST]`: a chunk of exactly `size` octets follows. RFC 3030 §2.
    case bdat(size: Int, last: Bool)
    /// `RSET`. RFC 5321 §4.1.1.5.
    case rset
    /// `NOOP [string]`. RFC 5321 §4.1.1.9.
    case noop(String?)
    /// `VRFY string`. RFC 5321 §4.1.1.6.
    case vrfy(String)
    /// `EXPN string`. RFC 5321 §4.1.1.7.
    case expn(String)
    /// `HELP [string]`. RFC 5321 §4.1.1.8.
    case help(String?)
    /// `QUIT`. RFC 5321 §4.1.1.10.
    case quit
    /// `STARTTLS`. RFC 3207 §4.
    case startTLS
    /// `AUTH mechanism [initial-response]`: mechanism upper-cased, the response as
    /// sent (base64, or "=" for an empty one). RFC 4954 §4.
    case auth(mechanism: String, initialResponse: String?)

    /// The verb, upper-case: for logs and state tables.
    public var verb: String {
        switch self {
        case .helo: "HELO"
        case .ehlo: "EHLO"
        case .mail: "MAIL"
        case .rcpt: "RCPT"
        case .data: "DATA"
        case .bdat: "BDAT"
        case .rset: "RSET"
        case .noop: "NOOP"
        case .vrfy: "VRFY"
        case .expn: "EXPN"
        case .help: "HELP"
        case .quit: "QUIT"
        case .startTLS: "STARTTLS"
        case .auth: "AUTH"
        }
    }

    /// The command line without CRLF.
    public var line: String {
        func withParameters(_ head: String, _ parameters: [ESMTPParameter]) -> String {
            ([head] + parameters.map(\.description)).joined(separator: " ")  // RFC 5321 §4.1.2 Mail-parameters
        }
        return switch self {
        case .helo(let domain): "HELO \(domain)"
        case .ehlo(let domain): "EHLO \(domain)"
        case .mail(let path, let parameters): withParameters("MAIL FROM:\(path)", parameters.encoded)
        case .rcpt(let path, let parameters): withParameters("RCPT TO:\(path)", parameters.encoded)
        case .data: "DATA"
        case .bdat(let size, let last): last ? "BDAT \(size) LAST" : "BDAT \(size)"
        case .rset: "RSET"
        case .noop(let text): text.map { "NOOP \($0)" } ?? "NOOP"
        case .vrfy(let text): "VRFY \(text)"
        case .expn(let text): "EXPN \(text)"
        case .help(let text): text.map { "HELP \($0)" } ?? "HELP"
        case .quit: "QUIT"
        case .startTLS: "STARTTLS"
        case .auth(let mechanism, let response): response.map { "AUTH \(mechanism) \($0)" } ?? "AUTH \(mechanism)"
        }
    }

    /// The command line with CRLF, for the client side. RFC 5321 §2.3.8.
    public var encoded: [UInt8] { Array(line.utf8) + [ByteClass.cr, ByteClass.lf] }
}
