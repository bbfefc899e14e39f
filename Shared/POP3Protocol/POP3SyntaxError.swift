import LineFraming

/// Why a command line was refused. POP3 has one negative status (RFC 1939 §3), so
/// each kind maps to a `-ERR` whose generic text tells a human at a terminal what
/// went wrong; `detail` is for the log, never the client.
public typealias POP3SyntaxError = SyntaxError<POP3SyntaxErrorKind>

public enum POP3SyntaxErrorKind: SyntaxErrorKind {
    /// The keyword is not one we know. RFC 1939 §3.
    case unknownCommand
    /// Not a command at all: empty, control characters, not UTF-8.
    case syntaxError
    /// A required argument is missing (`RETR`, `USER`).
    case missingArgument
    /// More arguments than the command takes (`STAT 1`, `RETR 1 2`).
    case tooManyArguments
    /// A message number or line count with anything but digits (`RETR x`, `RETR -1`, `RETR +1`).
    case invalidNumber
    /// A message number outside 1…`POP3Defaults.maxMessageNumber` (`RETR 0`). No
    /// message has it, so the client hears "no such message". RFC 1939 §5.
    case numberOutOfRange
    /// An argument longer than `argumentLength`. RFC 1939 §3.
    case argumentTooLong
    /// A malformed argument: a SASL mechanism name, a non-base64 initial response,
    /// an APOP digest, a TOP line count out of range.
    case invalidArgument

    /// The response to send.
    public var response: POP3Response {
        switch self {
        case .unknownCommand: .unknownCommand
        case .syntaxError: .syntaxError
        case .missingArgument: .missingArgument
        case .tooManyArguments: .tooManyArguments
        case .invalidNumber: .invalidMessageNumber
        case .numberOutOfRange: .noSuchMessage
        case .argumentTooLong: .argumentTooLong
        case .invalidArgument: .invalidArgument
        }
    }

    public func answerForLog(tag: String?) -> String { "\(response)" }
}

extension SyntaxError where Kind == POP3SyntaxErrorKind {
    /// The response to send.
    public var response: POP3Response { kind.response }
}
