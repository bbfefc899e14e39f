/// The IMAP grammar for the imap-gateway: commands in, responses out; no sockets.
///
/// Every limit the grammar keeps, as a named default with its reason. The reader and the
/// parser take these as parameters, so a service can loosen one without touching the grammar.
/// RFC 9051 §4 sets no line or literal limit; RFC 7162 §4 asks for at least 8,192 octets per
/// command line, and RFC 9051 §7.1 gives `TOOBIG` for what a server will not take.
public enum IMAPDefaults {
    /// A command line between literals, CRLF included: 64 KiB. RFC 7162 §4 asks servers to
    /// take at least 8,192 octets — a floor, not a ceiling — and lines within the RFCs are
    /// longer: an ID command of 30 fields of up to 1,024 octets (RFC 2971 §3.3) is a ~32 KB
    /// line, a UID set after QRESYNC can be long too. The imap-gateway makes it configurable.
    public static let lineLength = 64 * 1024  // RFC 7162 §4 (floor 8,192), RFC 2971 §3.3

    /// All the line pieces of one command together (between its literals), CRLF included: a
    /// command of many long lines joined by small literals stays bounded in memory apart from
    /// `commandSize`, which its literals may use up.
    public static let commandLineOctets = 1024 * 1024

    /// One literal: 64 MiB, enough for any APPEND of a message the smtp-gateway would have
    /// accepted (25 MiB, `SMTPDefaults.messageSize`) after base64 growth, with room to spare.
    /// Refused before it is read: `NO [TOOBIG]`. RFC 9051 §7.1, RFC 7889 (APPENDLIMIT).
    public static let literalSize = 64 * 1024 * 1024  // RFC 9051 §7.1 TOOBIG

    /// A literal outside APPEND (a LOGIN password, a SEARCH string): nothing legitimate needs
    /// more than 64 KiB, and a service may hold command literals to this tighter limit.
    public static let smallLiteralSize = 64 * 1024

    /// Literals in one command. MULTIAPPEND (RFC 3502) sends one per message; a cap bounds
    /// the `+` continuations and the bookkeeping a single command can cause.
    public static let literalsPerCommand = 1_000

    /// Messages in one MULTIAPPEND (RFC 3502 §6.3.11 sets no limit): each is a store write in
    /// one transaction; clients send a handful (a folder upload in batches). More: `NO [LIMIT]`.
    public static let multiAppendMessages = 100

    /// A whole command, lines and literals: a literal at the limit plus its command.
    public static let commandSize = literalSize + 1024 * 1024

    /// Nesting of parentheses (search keys, fetch attributes, LIST options). Real clients
    /// nest a handful deep; a cap keeps a recursive parser's stack bounded against
    /// `((((((…` — the swift-nio-imap stack-tracker lesson.
    public static let nestingDepth = 32

    /// Search keys nested in one another: each NOT or OR operand and each parenthesized list
    /// is one level. RFC 9051 §6.4.4 sets no limit, and clients build OR chains one level per
    /// alternative (`OR OR OR FROM a FROM b FROM c FROM d`), so this is looser than
    /// `nestingDepth`; it still bounds the recursive parser's stack against `NOT NOT NOT …`,
    /// which needs no parentheses at all (a debug build on a Swift concurrency thread took
    /// 1,000 levels and crashed at 5,000: this leaves ten times headroom).
    public static let searchKeyDepth = 100

    /// A tag. RFC 9051 §9 sets no length; 64 octets is far above any client's.
    public static let tagLength = 64

    /// The longest non-synchronizing literal a LITERAL- server takes. RFC 7888 §5.
    public static let literalMinusSize = 4096  // RFC 7888 §5
}
