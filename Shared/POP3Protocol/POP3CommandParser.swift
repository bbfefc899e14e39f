import LineFraming

/// Parses one command line (without its line end) into a `POP3Command`.
///
/// ```
/// command = keyword *(SP param) CRLF    ; RFC 2449 §3
/// keyword = 3*4VCHAR
/// param   = 1*VCHAR
/// ```
/// ```
/// C: retr 1
/// C: PASS my secret phrase
/// ```
/// Keywords are case-insensitive (RFC 1939 §3). Lenient where clients are sloppy and
/// nothing is ambiguous: runs of spaces between arguments and trailing spaces. Strict
/// about numbers: decimal digits only — no sign, no `+`, 1…2³¹−1 — so "which message"
/// never depends on a lenient conversion. PASS keeps its line verbatim.
public struct POP3CommandParser: Sendable {
    /// Octets of a token argument. RFC 1939 §3 (see `POP3Defaults.argumentLength`).
    public var argumentLength: Int

    public init(argumentLength: Int = POP3Defaults.argumentLength) {
        self.argumentLength = argumentLength
    }

    /// Parses with the default limits.
    public static func parse(line: ArraySlice<UInt8>) -> Result<POP3Command, POP3SyntaxError> {
        POP3CommandParser().parse(line)
    }

    /// Parses with the default limits: a line as `POP3LineReader` returns it.
    public static func parse(line: [UInt8]) -> Result<POP3Command, POP3SyntaxError> {
        POP3CommandParser().parse(line[...])
    }

    /// Parses with the default limits.
    public static func parse(_ line: String) -> Result<POP3Command, POP3SyntaxError> {
        POP3CommandParser().parse(Array(line.utf8)[...])
    }

    /// Parses with these limits.
    public func parse(_ line: ArraySlice<UInt8>) -> Result<POP3Command, POP3SyntaxError> {
        let keywordEnd = line.firstIndex(of: ByteClass.space) ?? line.endIndex
        let keyword = line[..<keywordEnd]
        guard !keyword.isEmpty, !keyword.contains(where: ByteClass.isControl) else {
            return .failure(POP3SyntaxError(.syntaxError, "empty line or control character"))
        }
        // Keywords are three or four characters. RFC 2449 §3
        guard (3...4).contains(keyword.count), keyword.allSatisfy(ByteClass.isAlpha) else {
            return .failure(POP3SyntaxError(.unknownCommand, "unknown keyword"))
        }
        let upper = ByteClass.upperString(keyword)
        // PASS takes the rest of the line, spaces included. RFC 1939 §7
        if upper == "PASS" { return pass(line[keywordEnd...]) }

        var end = line.endIndex
        while end > keywordEnd, line[end - 1] == ByteClass.space { end -= 1 }
        let rest = line[keywordEnd..<end]
        guard !rest.contains(where: ByteClass.isControl) else {
            return .failure(POP3SyntaxError(.syntaxError, "control character"))
        }
        let arguments = rest.split(separator: ByteClass.space)
        switch upper {
        case "USER": return user(rest)
        case "APOP": return apop(arguments)
        case "AUTH": return auth(arguments)
        case "CAPA": return bare(.capa, arguments)
        case "STLS": return bare(.stls, arguments)  // RFC 2595 §4: no arguments
        case "QUIT": return bare(.quit, arguments)
        case "STAT": return bare(.stat, arguments)
        case "NOOP": return bare(.noop, arguments)
        case "RSET": return bare(.rset, arguments)
        case "LIST": return optionalNumber(arguments).map { .list($0) }  // RFC 1939 §5: LIST [msg]
        case "UIDL": return optionalNumber(arguments).map { .uidl($0) }  // RFC 1939 §7: UIDL [msg]
        case "RETR": return oneNumber(arguments).map { .retr($0) }
        case "DELE": return oneNumber(arguments).map { .dele($0) }
        case "TOP": return top(arguments)
        default: return .failure(POP3SyntaxError(.unknownCommand, "unknown keyword"))
        }
    }

    private func bare(_ command: POP3Command, _ arguments: [ArraySlice<UInt8>]) -> Result<POP3Command, POP3SyntaxError> {
        arguments.isEmpty ? .success(command) : .failure(POP3SyntaxError(.tooManyArguments, "\(command.keyword) takes no argument"))
    }

    /// `USER name`: the rest of the line, as Dovecot reads it, so a name with a space
    /// is refused by the authenticator, not misread. RFC 1939 §7
    private func user(_ rest: ArraySlice<UInt8>) -> Result<POP3Command, POP3SyntaxError> {
        let name = rest.drop { $0 == ByteClass.space }
        guard !name.isEmpty else { return .failure(POP3SyntaxError(.missingArgument, "USER needs a name")) }
        return utf8(name).map { .user($0) }
    }

    /// `PASS string`: one space, then the string verbatim — it may contain and end in
    /// spaces. Only NUL, CR and LF are refused (they cannot be typed in a password). RFC 1939 §7
    private func pass(_ rest: ArraySlice<UInt8>) -> Result<POP3Command, POP3SyntaxError> {
        let string = rest.dropFirst()
        guard !string.isEmpty else { return .failure(POP3SyntaxError(.missingArgument, "PASS needs a string")) }
        guard !string.contains(where: { $0 == 0 || $0 == ByteClass.cr || $0 == ByteClass.lf }) else {
            return .failure(POP3SyntaxError(.syntaxError, "control character in PASS"))
        }
        return utf8(string).map { .pass($0) }
    }

    /// `APOP name digest`, digest = 32 lower-case hex digits. RFC 1939 §7
    private func apop(_ arguments: [ArraySlice<UInt8>]) -> Result<POP3Command, POP3SyntaxError> {
        guard arguments.count >= 2 else { return .failure(POP3SyntaxError(.missingArgument, "APOP needs name and digest")) }
        guard arguments.count == 2 else { return .failure(POP3SyntaxError(.tooManyArguments, "APOP takes two arguments")) }
        if let failure = tooLong(arguments) { return .failure(failure) }
        guard arguments[1].count == 32, arguments[1].allSatisfy({ ByteClass.isDigit($0) || (0x61...0x66).contains($0 | 0x20) })
        else { return .failure(POP3SyntaxError(.invalidArgument, "APOP digest is not 32 hex digits")) }
        return utf8(arguments[0]).map { .apop(name: $0, digest: String(decoding: arguments[1], as: UTF8.self)) }
    }

    /// `AUTH [mechanism [initial-response]]`; mechanism = 1*20 (UPPER-ALPHA / DIGIT /
    /// "-" / "_") (RFC 4422 §3.1), initial-response = base64 / "=". RFC 5034 §4
    private func auth(_ arguments: [ArraySlice<UInt8>]) -> Result<POP3Command, POP3SyntaxError> {
        guard let mechanism = arguments.first else { return .success(.authList) }
        guard arguments.count <= 2 else { return .failure(POP3SyntaxError(.tooManyArguments, "AUTH takes two arguments")) }
        guard mechanism.count <= min(argumentLength, POP3Defaults.saslMechanismLength) else {
            return .failure(POP3SyntaxError(.argumentTooLong, "SASL mechanism too long"))
        }
        guard mechanism.allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.hyphen || $0 == ByteClass.underscore }) else {
            return .failure(POP3SyntaxError(.invalidArgument, "bad SASL mechanism"))
        }
        var response: String?
        if arguments.count == 2 {
            guard arguments[1].allSatisfy(ByteClass.isBase64) else {
                return .failure(POP3SyntaxError(.invalidArgument, "initial response is not base64"))
            }
            response = String(decoding: arguments[1], as: UTF8.self)
        }
        return .success(.auth(mechanism: ByteClass.upperString(mechanism), initialResponse: response))
    }

    /// `msg`: required, exactly one.
    private func oneNumber(_ arguments: [ArraySlice<UInt8>]) -> Result<Int, POP3SyntaxError> {
        guard arguments.count <= 1 else { return .failure(POP3SyntaxError(.tooManyArguments, "one message number expected")) }
        guard let argument = arguments.first else { return .failure(POP3SyntaxError(.missingArgument, "message number required")) }
        return messageNumber(argument)
    }

    /// `[msg]`: optional, at most one.
    private func optionalNumber(_ arguments: [ArraySlice<UInt8>]) -> Result<Int?, POP3SyntaxError> {
        guard let argument = arguments.first else { return .success(nil) }
        guard arguments.count == 1 else { return .failure(POP3SyntaxError(.tooManyArguments, "one message number expected")) }
        return messageNumber(argument).map { Optional($0) }
    }

    /// `TOP msg n`: n is a non-negative number of body lines. RFC 1939 §7
    private func top(_ arguments: [ArraySlice<UInt8>]) -> Result<POP3Command, POP3SyntaxError> {
        guard arguments.count >= 2 else { return .failure(POP3SyntaxError(.missingArgument, "TOP needs message and line count")) }
        guard arguments.count == 2 else { return .failure(POP3SyntaxError(.tooManyArguments, "TOP takes two arguments")) }
        return messageNumber(arguments[0]).flatMap { number in
            if let failure = tooLong([arguments[1]]) { return .failure(failure) }
            switch ByteClass.decimal(arguments[1], max: POP3Defaults.maxTopLines) {
            case .value(let lines): return .success(.top(number, lines: lines))
            case .outOfRange: return .failure(POP3SyntaxError(.invalidArgument, "TOP line count out of range"))
            case .notANumber: return .failure(POP3SyntaxError(.invalidNumber, "TOP line count is not a number"))
            }
        }
    }

    /// A message number: decimal, 1…`POP3Defaults.maxMessageNumber`. RFC 1939 §3
    private func messageNumber(_ argument: ArraySlice<UInt8>) -> Result<Int, POP3SyntaxError> {
        if let failure = tooLong([argument]) { return .failure(failure) }
        switch ByteClass.decimal(argument, max: POP3Defaults.maxMessageNumber) {
        case .value(let number) where number >= 1: return .success(number)  // message numbers start at 1. RFC 1939 §3
        case .value, .outOfRange: return .failure(POP3SyntaxError(.numberOutOfRange, "message number out of range"))
        case .notANumber: return .failure(POP3SyntaxError(.invalidNumber, "message number is not a number"))
        }
    }

    private func tooLong(_ arguments: [ArraySlice<UInt8>]) -> POP3SyntaxError? {
        arguments.contains { $0.count > argumentLength } ? POP3SyntaxError(.argumentTooLong, "argument too long") : nil
    }

    private func utf8(_ bytes: ArraySlice<UInt8>) -> Result<String, POP3SyntaxError> {
        String(validating: bytes, as: UTF8.self).map { .success($0) } ?? .failure(POP3SyntaxError(.syntaxError, "not UTF-8"))
    }
}
