import LineFraming

/// One POP3 command, RFC 1939 §§4–7, with the extensions we speak: CAPA (RFC 2449 §5),
/// STLS (RFC 2595 §4), AUTH (RFC 5034 §4).
///
/// ```
/// C: USER alice@example.org
/// C: PASS correct horse battery staple
/// C: LIST
/// C: RETR 1
/// C: TOP 2 10
/// ```
/// Parse with `POP3CommandParser`; `encoded` writes the line for the client side.
/// `description` hides the PASS string and SASL responses, so a command can be logged.
public enum POP3Command: Sendable, Hashable, CustomStringConvertible {
    /// `USER name`: the mailbox, as written. RFC 1939 §7.
    case user(String)
    /// `PASS string`: everything after `PASS ` — spaces included. RFC 1939 §7.
    case pass(String)
    /// `APOP name digest`: parsed so it can be refused by name. RFC 1939 §7.
    case apop(name: String, digest: String)
    /// `AUTH mechanism [initial-response]`: the mechanism upper-cased, the response as
    /// sent (base64, or "=" for an empty one). RFC 5034 §4.
    case auth(mechanism: String, initialResponse: String?)
    /// `AUTH` alone: list the SASL mechanisms, multi-line (what Outlook and Dovecot do;
    /// RFC 1734 clients probe this way).
    case authList
    /// `CAPA`. RFC 2449 §5.
    case capa
    /// `STLS`. RFC 2595 §4.
    case stls
    /// `QUIT`. RFC 1939 §4 and §6.
    case quit
    /// `STAT`. RFC 1939 §5.
    case stat
    /// `LIST [msg]`: all messages (multi-line) or one. RFC 1939 §5.
    case list(Int?)
    /// `RETR msg`. RFC 1939 §5.
    case retr(Int)
    /// `DELE msg`. RFC 1939 §5.
    case dele(Int)
    /// `NOOP`. RFC 1939 §5.
    case noop
    /// `RSET`. RFC 1939 §5.
    case rset
    /// `TOP msg n`: the header and the first `lines` lines of the body. RFC 1939 §7.
    case top(Int, lines: Int)
    /// `UIDL [msg]`: all unique-ids (multi-line) or one. RFC 1939 §7.
    case uidl(Int?)

    /// The keyword, upper-case: for logs and state tables.
    public var keyword: String {
        switch self {
        case .user: "USER"
        case .pass: "PASS"
        case .apop: "APOP"
        case .auth, .authList: "AUTH"
        case .capa: "CAPA"
        case .stls: "STLS"
        case .quit: "QUIT"
        case .stat: "STAT"
        case .list: "LIST"
        case .retr: "RETR"
        case .dele: "DELE"
        case .noop: "NOOP"
        case .rset: "RSET"
        case .top: "TOP"
        case .uidl: "UIDL"
        }
    }

    /// Whether a `+OK` to this command is followed by a multi-line body ending in
    /// `.CRLF` (RFC 1939 §3): what the client side tells `POP3ResponseParser`.
    public var hasMultilineResponse: Bool {
        switch self {
        case .capa, .authList, .retr, .top: true
        case .list(let number), .uidl(let number): number == nil
        default: false
        }
    }

    /// The command line without CRLF.
    public var line: String {
        switch self {
        case .user(let name): "USER \(name)"
        case .pass(let string): "PASS \(string)"
        case .apop(let name, let digest): "APOP \(name) \(digest)"
        case .auth(let mechanism, let response): response.map { "AUTH \(mechanism) \($0)" } ?? "AUTH \(mechanism)"
        case .authList: "AUTH"
        case .list(let number): number.map { "LIST \($0)" } ?? "LIST"
        case .retr(let number): "RETR \(number)"
        case .dele(let number): "DELE \(number)"
        case .top(let number, let lines): "TOP \(number) \(lines)"
        case .uidl(let number): number.map { "UIDL \($0)" } ?? "UIDL"
        case .capa, .stls, .quit, .stat, .noop, .rset: keyword
        }
    }

    /// The command line with CRLF, for the client side. RFC 1939 §3.
    public var encoded: [UInt8] { Array(line.utf8) + ByteClass.crlf }

    /// The line with secrets replaced by `***`: safe to log.
    public var description: String {
        switch self {
        case .pass: "PASS ***"
        case .apop(let name, _): "APOP \(name) ***"
        case .auth(let mechanism, let response): response == nil ? line : "AUTH \(mechanism) ***"
        default: line
        }
    }
}
