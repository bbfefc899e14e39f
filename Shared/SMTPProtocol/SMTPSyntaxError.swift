import LineFraming

/// Why a command line was refused, in the classes RFC 5321 §4.2.2 and RFC 3463 §3
/// distinguish; each maps to one reply. `detail` is for the log, never the client.
public typealias SMTPSyntaxError = SyntaxError<SMTPSyntaxErrorKind>

public enum SMTPSyntaxErrorKind: SyntaxErrorKind {
    /// The verb is unknown: 500 5.5.1. RFC 5321 §4.2.4.
    case unrecognizedCommand
    /// The line is not a command at all (empty, control characters): 500 5.5.2.
    case syntaxError
    /// A known verb with malformed arguments: 501 5.5.4. RFC 5321 §4.2.2.
    case parameterSyntax
    /// A malformed MAIL FROM path: 501 5.1.7. RFC 3463 §3.2.
    case badSenderAddress
    /// A malformed RCPT TO path: 501 5.1.3. RFC 3463 §3.2.
    case badRecipientAddress
    /// A MAIL/RCPT parameter nobody implements here: 555 5.5.4. RFC 5321 §4.1.1.11.
    case parameterNotRecognized

    /// The reply to send.
    public var reply: SMTPReply {
        switch self {
        case .unrecognizedCommand: .commandUnrecognized
        case .syntaxError: .syntaxError
        case .parameterSyntax: .parameterSyntax
        case .badSenderAddress: .badSenderAddress
        case .badRecipientAddress: .badRecipientAddress
        case .parameterNotRecognized: .parameterNotRecognized
        }
    }

    public func answerForLog(tag: String?) -> String {
        "\(reply.code) \(reply.enhancedCode.map(\.description) ?? "")"
    }
}

extension SyntaxError where Kind == SMTPSyntaxErrorKind {
    /// The reply to send.
    public var reply: SMTPReply { kind.reply }
}
