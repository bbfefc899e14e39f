import LineFraming

/// Parses one command line (without its CRLF) into an `SMTPCommand`.
///
/// ```
/// C: MAIL FROM: <alice@Example.ORG> BODY=8BITMIME
/// ```
/// Verbs and keywords are case-insensitive (RFC 5321 §2.4). Lenient where real
/// clients are and nothing is ambiguous: a space after `FROM:`/`TO:`, trailing
/// spaces, runs of spaces between parameters. Strict about paths: a relay decision
/// rests on the domain this parser reports, so anything unclear is refused.
public struct SMTPCommandParser: Sendable {
    /// Octets of a local part as written. RFC 5321 §4.5.3.1.1 says 64; SRS and VERP
    /// addresses sometimes exceed it, so a service may raise it.
    public var localPartLength: Int
    /// Octets of a domain. RFC 5321 §4.5.3.1.2.
    public var domainLength: Int
    /// Octets of a path, brackets included. RFC 5321 §4.5.3.1.3.
    public var pathLength: Int

    public init(
        localPartLength: Int = SMTPDefaults.localPartLength,
        domainLength: Int = SMTPDefaults.domainLength,
        pathLength: Int = SMTPDefaults.pathLength
    ) {
        self.localPartLength = localPartLength
        self.domainLength = domainLength
        self.pathLength = pathLength
    }

    /// Parses with the default limits.
    public static func parse(line: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        SMTPCommandParser().parse(line)
    }

    /// Parses with the default limits.
    public static func parse(_ line: String) -> Result<SMTPCommand, SMTPSyntaxError> {
        SMTPCommandParser().parse(Array(line.utf8)[...])
    }

    /// Parses with these limits.
    public func parse(_ line: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        var end = line.endIndex
        while end > line.startIndex, line[end - 1] == ByteClass.space || line[end - 1] == ByteClass.tab { end -= 1 }
        let line = line[line.startIndex..<end]
        // Commands are text lines: no control characters (CR and LF end them). RFC 5321 §2.3.8
        guard !line.isEmpty, !line.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            return .failure(SMTPSyntaxError(.syntaxError, "empty line or control character"))
        }
        let verbEnd = line.firstIndex(of: ByteClass.space) ?? line.endIndex
        let verb = line[..<verbEnd]
        var argumentStart = verbEnd
        while argumentStart < line.endIndex, line[argumentStart] == ByteClass.space { argumentStart += 1 }
        let argument = line[argumentStart...]
        guard verb.count <= 8, verb.allSatisfy(ByteClass.isAlpha) else {
            return .failure(SMTPSyntaxError(.unrecognizedCommand, "unknown verb"))
        }
        switch ByteClass.upperString(verb) {
        case "HELO": return text(argument, required: true).map { .helo($0 ?? "") }  // RFC 5321 §4.1.1.1
        case "EHLO": return text(argument, required: true).map { .ehlo($0 ?? "") }  // RFC 5321 §4.1.1.1
        case "MAIL": return mail(line[verbEnd...])
        case "RCPT": return rcpt(line[verbEnd...])
        case "DATA": return bare(.data, argument)
        case "BDAT": return bdat(argument)
        case "RSET": return bare(.rset, argument)
        case "NOOP": return text(argument, required: false).map { .noop($0) }  // RFC 5321 §4.1.1.9
        case "VRFY": return text(argument, required: true).map { .vrfy($0 ?? "") }
        case "EXPN": return text(argument, required: true).map { .expn($0 ?? "") }
        case "HELP": return text(argument, required: false).map { .help($0) }
        case "QUIT": return bare(.quit, argument)
        case "STARTTLS": return bare(.startTLS, argument)  // RFC 3207 §4: no parameters
        case "AUTH": return auth(argument)
        default: return .failure(SMTPSyntaxError(.unrecognizedCommand, "unknown verb"))
        }
    }

    private func bare(_ command: SMTPCommand, _ argument: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        argument.isEmpty ? .success(command) : .failure(SMTPSyntaxError(.parameterSyntax, "\(command.verb) takes no argument"))
    }

    private func text(_ argument: ArraySlice<UInt8>, required: Bool) -> Result<String?, SMTPSyntaxError> {
        if argument.isEmpty {
            return required ? .failure(SMTPSyntaxError(.parameterSyntax, "argument required")) : .success(nil)
        }
        guard let text = String(validating: argument, as: UTF8.self) else {
            return .failure(SMTPSyntaxError(.parameterSyntax, "argument is not UTF-8"))
        }
        return .success(text)
    }

    /// `"MAIL FROM:" Reverse-path [SP Mail-parameters]`. RFC 5321 §4.1.1.2
    private func mail(_ rest: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        pathCommand(rest, keyword: " FROM:", allowNull: true, addressError: .badSenderAddress).flatMap { path, parameters in
            MailParameters.parse(parameters).map { .mail(from: path, parameters: $0) }
        }
    }

    /// `"RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters]`.
    /// RFC 5321 §4.1.1.3
    private func rcpt(_ rest: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        pathCommand(rest, keyword: " TO:", allowNull: false, addressError: .badRecipientAddress).flatMap { path, parameters in
            RcptParameters.parse(parameters).map { .rcpt(to: path, parameters: $0) }
        }
    }

    private func pathCommand(
        _ rest: ArraySlice<UInt8>, keyword: String, allowNull: Bool, addressError: SMTPSyntaxError.Kind
    ) -> Result<(SMTPPath, [ESMTPParameter]), SMTPSyntaxError> {
        let count = keyword.utf8.count
        guard ByteClass.equalsIgnoringCase(rest.prefix(count), keyword) else {
            return .failure(SMTPSyntaxError(.parameterSyntax, "expected\(keyword)"))
        }
        var start = rest.startIndex + count
        while start < rest.endIndex, rest[start] == ByteClass.space { start += 1 }  // "MAIL FROM: <a@b>", as real clients send
        let parser = PathParser(localPartLength: localPartLength, domainLength: domainLength, pathLength: pathLength)
        switch parser.parse(rest, at: start, allowNull: allowNull, allowBarePostmaster: !allowNull) {
        case .failure(let failure):
            return .failure(SMTPSyntaxError(addressError, failure.detail))
        case .success(let (path, end)):
            let tail = rest[end...]
            guard tail.isEmpty || tail.first == ByteClass.space else {
                return .failure(SMTPSyntaxError(addressError, "text after path"))
            }
            return ESMTPParameter.parseList(tail).map { (path, $0) }
        }
    }

    /// `"BDAT" SP chunk-size [ SP end-marker ]`, end-marker = "LAST". RFC 3030 §2
    private func bdat(_ argument: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        let words = argument.split(separator: ByteClass.space)
        guard (1...2).contains(words.count), let size = ByteClass.decimal(words[0]) else {
            return .failure(SMTPSyntaxError(.parameterSyntax, "bad BDAT size"))
        }
        if words.count == 2, !ByteClass.equalsIgnoringCase(words[1], "LAST") {
            return .failure(SMTPSyntaxError(.parameterSyntax, "bad BDAT end marker"))
        }
        return .success(.bdat(size: size, last: words.count == 2))
    }

    /// `"AUTH" SP sasl-mech [SP initial-response]`; sasl-mech = 1*20 (UPPER-ALPHA / DIGIT / "-" / "_"),
    /// initial-response = base64 / "=". RFC 4954 §4
    private func auth(_ argument: ArraySlice<UInt8>) -> Result<SMTPCommand, SMTPSyntaxError> {
        let words = argument.split(separator: ByteClass.space)
        guard (1...2).contains(words.count), (1...20).contains(words[0].count),
            words[0].allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.hyphen || $0 == UInt8(ascii: "_") })
        else { return .failure(SMTPSyntaxError(.parameterSyntax, "bad SASL mechanism")) }
        var response: String?
        if words.count == 2 {
            guard
                words[1].allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.plus || $0 == UInt8(ascii: "/") || $0 == ByteClass.equals })
            else { return .failure(SMTPSyntaxError(.parameterSyntax, "initial response is not base64")) }
            response = String(decoding: words[1], as: UTF8.self)
        }
        return .success(.auth(mechanism: ByteClass.upperString(words[0]), initialResponse: response))
    }
}
