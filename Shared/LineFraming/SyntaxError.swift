/// Why a command line was refused, in the syntax class of errors (SMTP 500/501, POP3
/// `-ERR`, IMAP `BAD`): a protocol's kind of refusal, which fixes the answer, and a detail
/// for the log, never the client. Each grammar names its own: `SMTPSyntaxError`, `POP3SyntaxError`,
/// `IMAPSyntaxError`.
public struct SyntaxError<K: SyntaxErrorKind>: Error, Sendable, Hashable, CustomStringConvertible {
    public typealias Kind = K

    public var kind: Kind
    /// The command's tag, where the protocol tags commands (IMAP, RFC 9051 §2.2.1) and it
    /// could be read, so the answer carries it (`a1 BAD …` rather than `* BAD …`).
    public var tag: String?
    public var detail: String

    public init(_ kind: Kind, tag: String? = nil, _ detail: String) {
        self.kind = kind
        self.tag = tag
        self.detail = detail
    }

    public var description: String { "\(kind.answerForLog(tag: tag)): \(detail)" }
}

/// A protocol's kinds of syntax error; each maps to one answer.
public protocol SyntaxErrorKind: Sendable, Hashable {
    /// The answer, as the log shows it before the detail (`500 5.5.1`, `a1 BAD (badArguments)`).
    func answerForLog(tag: String?) -> String
}
