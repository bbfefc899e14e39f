import SMTPProtocol
import TestSupport

/// Parses a command line given as text.
func parse(_ line: String) -> Result<SMTPCommand, SMTPSyntaxError> { SMTPCommandParser.parse(line: bytes(line)[...]) }

/// The error kind of a failed parse, nil on success.
func errorKind(_ line: String) -> SMTPSyntaxError.Kind? {
    if case .failure(let error) = parse(line) { return error.kind }
    return nil
}

/// The path of a MAIL or RCPT command.
func path(_ line: String) -> SMTPPath? {
    switch parse(line) {
    case .success(.mail(let path, _)), .success(.rcpt(let path, _)): path
    default: nil
    }
}
