import FuzzSupport
import SMTPProtocol

/// `SMTPCommandParser`, one command per input line: a parsed command's `line` holds no CR,
/// LF or NUL (it must not smuggle a second command, RFC 5321 §2.3.8) and parses back to the
/// same command, less the source route that `line` leaves out (RFC 5321 §4.1.1.3).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPCommand(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        for line in Fuzz.lines(bytes) {
            guard case .success(let command) = SMTPCommandParser.parse(line: line) else { continue }
            Fuzz.requireCommandLine(command.line, parse: SMTPCommandParser.parse, expected: withoutSourceRoute(command))
        }
    }
}

private func withoutSourceRoute(_ command: SMTPCommand) -> SMTPCommand {
    switch command {
    case .mail(let path, let parameters): .mail(from: SMTPPath(mailbox: path.mailbox), parameters: parameters)
    case .rcpt(let path, let parameters): .rcpt(to: SMTPPath(mailbox: path.mailbox), parameters: parameters)
    default: command
    }
}
