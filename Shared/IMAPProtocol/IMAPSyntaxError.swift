import LineFraming

/// Why a command was refused, in the classes RFC 9051 §7.1 distinguishes; `detail` is for
/// the log, never the client. `tag` is the command's tag when it could be read, so the
/// server answers `a1 BAD …` rather than `* BAD …` (RFC 9051 §7.1.3).
///
/// ```
/// C: a1 FETCH 1:* (FLAGS
/// S: a1 BAD Missing ")"
/// ```
public typealias IMAPSyntaxError = SyntaxError<IMAPSyntaxErrorKind>

public enum IMAPSyntaxErrorKind: SyntaxErrorKind {
    /// Not a command at all (no tag, control characters): untagged `* BAD`.
    case noTag
    /// The command name is unknown: `BAD`. RFC 9051 §7.1.3.
    case unknownCommand
    /// A known command with malformed arguments: `BAD`. RFC 9051 §7.1.3.
    case badArguments
    /// Parentheses nested beyond `IMAPDefaults.nestingDepth`: `BAD`.
    case tooDeep
    /// A mailbox name that is not valid modified UTF-7 (RFC 3501 §5.1.3) or UTF-8
    /// (RFC 6855 §3): `BAD`, as the name cannot be decoded.
    case badMailboxName
    /// SEARCH with a CHARSET other than `SearchProgram.supportedCharsets`: not `BAD` but
    /// `NO [BADCHARSET (UTF-8 US-ASCII)]`, so the client can retry in one it knows.
    /// RFC 9051 §6.4.4, §7.1
    case badCharset

    public func answerForLog(tag: String?) -> String { "\(tag ?? "*") \(self == .badCharset ? "NO" : "BAD") (\(self))" }
}
