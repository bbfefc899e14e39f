import POP3Protocol
import TestSupport
import Testing

/// RFC 1939 commands with CAPA, STLS and AUTH: one table of valid lines, one of
/// invalid lines with the error each must get, and round trips through `encoded`.
@Suite struct POP3CommandParserTests {
    static let valid: [(String, POP3Command)] = [
        ("USER alice", .user("alice")),
        ("user alice@example.org", .user("alice@example.org")),
        ("USER  alice   ", .user("alice")),
        ("USER Jos\u{E9}", .user("Jos\u{E9}")),
        ("USER john smith", .user("john smith")),
        ("PASS secret", .pass("secret")),
        ("pass correct horse battery staple", .pass("correct horse battery staple")),
        ("PASS  leading and trailing  ", .pass(" leading and trailing  ")),
        ("PASS p\u{E4}ss\tword", .pass("p\u{E4}ss\tword")),
        ("PASS " + String(repeating: "x", count: 200), .pass(String(repeating: "x", count: 200))),
        ("APOP mrose c4c9334bac560ecc979e58001b3e22fb", .apop(name: "mrose", digest: "c4c9334bac560ecc979e58001b3e22fb")),
        ("AUTH", .authList),
        ("auth plain", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("AUTH PLAIN AGFsaWNlAHNlY3JldA==", .auth(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA==")),
        ("AUTH PLAIN =", .auth(mechanism: "PLAIN", initialResponse: "=")),
        ("AUTH SCRAM-SHA-256", .auth(mechanism: "SCRAM-SHA-256", initialResponse: nil)),
        ("AUTH x_oauth2", .auth(mechanism: "X_OAUTH2", initialResponse: nil)),
        ("CAPA", .capa),
        ("capa", .capa),
        ("STLS", .stls),
        ("QUIT", .quit),
        ("QuIt ", .quit),
        ("STAT", .stat),
        ("LIST", .list(nil)),
        ("LIST 1", .list(1)),
        ("list 2147483647", .list(2_147_483_647)),
        ("LIST 007", .list(7)),
        ("RETR 1", .retr(1)),
        ("RETR  12  ", .retr(12)),
        ("DELE 3", .dele(3)),
        ("NOOP", .noop),
        ("RSET", .rset),
        ("TOP 1 0", .top(1, lines: 0)),
        ("top 10 25", .top(10, lines: 25)),
        ("TOP 1 2147483647", .top(1, lines: 2_147_483_647)),
        ("UIDL", .uidl(nil)),
        ("UIDL 4", .uidl(4)),
    ]

    @Test(arguments: valid)
    func parsesValid(line: String, command: POP3Command) {
        #expect(parse(line) == .success(command))
    }

    static let invalid: [(String, POP3SyntaxError.Kind)] = [
        ("", .syntaxError),
        (" ", .syntaxError),
        (" STAT", .syntaxError),
        ("STAT\0", .syntaxError),
        ("LIST 1\u{7F}", .syntaxError),
        ("USER a\u{1B}b", .syntaxError),
        ("PASS a\0b", .syntaxError),
        ("XYZZY", .unknownCommand),
        ("HELO x", .unknownCommand),
        ("ST", .unknownCommand),
        ("RETR1", .unknownCommand),
        ("LAST", .unknownCommand),
        ("ST4T", .unknownCommand),
        ("USER", .missingArgument),
        ("USER   ", .missingArgument),
        ("PASS", .missingArgument),
        ("PASS ", .missingArgument),
        ("RETR", .missingArgument),
        ("DELE", .missingArgument),
        ("TOP", .missingArgument),
        ("TOP 1", .missingArgument),
        ("APOP mrose", .missingArgument),
        ("STAT 1", .tooManyArguments),
        ("QUIT now", .tooManyArguments),
        ("NOOP x", .tooManyArguments),
        ("RSET 1", .tooManyArguments),
        ("CAPA x", .tooManyArguments),
        ("STLS x", .tooManyArguments),
        ("LIST 1 2", .tooManyArguments),
        ("UIDL 1 2", .tooManyArguments),
        ("RETR 1 2", .tooManyArguments),
        ("DELE 1 2", .tooManyArguments),
        ("TOP 1 2 3", .tooManyArguments),
        ("AUTH PLAIN abc def", .tooManyArguments),
        ("APOP a b c", .tooManyArguments),
        ("RETR x", .invalidNumber),
        ("RETR -1", .invalidNumber),
        ("RETR +1", .invalidNumber),
        ("RETR 1.0", .invalidNumber),
        ("RETR 0x10", .invalidNumber),
        ("LIST 1a", .invalidNumber),
        ("UIDL \u{661}", .invalidNumber),
        ("TOP 1 -1", .invalidNumber),
        ("TOP 1 x", .invalidNumber),
        ("TOP x 1", .invalidNumber),
        ("RETR 0", .numberOutOfRange),
        ("DELE 000", .numberOutOfRange),
        ("LIST 2147483648", .numberOutOfRange),
        ("UIDL 99999999999999999999999999", .numberOutOfRange),
        ("TOP 0 1", .numberOutOfRange),
        ("RETR " + String(repeating: "0", count: 41) + "1", .argumentTooLong),
        ("AUTH " + String(repeating: "A", count: 21), .argumentTooLong),
        ("APOP " + String(repeating: "a", count: 41) + " c4c9334bac560ecc979e58001b3e22fb", .argumentTooLong),
        ("TOP 1 2147483648", .invalidArgument),
        ("AUTH PL@IN", .invalidArgument),
        ("AUTH PLAIN a*b", .invalidArgument),
        ("AUTH PLAIN \u{E9}", .invalidArgument),
        ("APOP mrose c4c9334b", .invalidArgument),
        ("APOP mrose c4c9334bac560ecc979e58001b3e22fz", .invalidArgument),
    ]

    @Test(arguments: invalid)
    func refusesInvalid(line: String, kind: POP3SyntaxError.Kind) {
        #expect(errorKind(line) == kind)
    }

    @Test func refusesBytesThatAreNotUTF8() {
        #expect(POP3CommandParser.parse(line: bytes("USER ") + [0xFF, 0x61]) == .failure(POP3SyntaxError(.syntaxError, "not UTF-8")))
        if case .failure(let error) = POP3CommandParser.parse(line: bytes("PASS ") + [0xC3]) {
            #expect(error.kind == .syntaxError)
        } else {
            Issue.record("PASS with invalid UTF-8 parsed")
        }
        #expect(errorKind("RETR \u{E9}") == .invalidNumber)
    }

    @Test(arguments: valid)
    func roundTrips(line: String, command: POP3Command) {
        let encoded = command.encoded
        #expect(encoded.suffix(2) == [0x0D, 0x0A])
        #expect(POP3CommandParser.parse(line: encoded.dropLast(2)) == .success(command))
    }

    @Test func errorsMapToResponses() {
        #expect(POP3SyntaxError(.unknownCommand, "").response == .unknownCommand)
        #expect(POP3SyntaxError(.numberOutOfRange, "").response == .noSuchMessage)
        #expect(POP3SyntaxError(.invalidNumber, "").response == .invalidMessageNumber)
        for (line, _) in Self.invalid {
            guard case .failure(let error) = parse(line) else { continue }
            #expect(error.response.status == .err)
        }
    }

    @Test func argumentLimitIsAParameter() {
        let strict = POP3CommandParser(argumentLength: 3)
        #expect(strict.parse(bytes("RETR 0001")[...]) == .failure(POP3SyntaxError(.argumentTooLong, "argument too long")))
        #expect(strict.parse(bytes("RETR 001")[...]) == .success(.retr(1)))
        // USER and PASS are bounded by the line, not the argument limit (RFC 2449 §4).
        #expect(strict.parse(bytes("USER alice")[...]) == .success(.user("alice")))
        #expect(strict.parse(bytes("PASS secret")[...]) == .success(.pass("secret")))
    }

    @Test func descriptionHidesSecrets() {
        #expect(POP3Command.pass("hunter2").description == "PASS ***")
        #expect(POP3Command.auth(mechanism: "PLAIN", initialResponse: "AGEAYg==").description == "AUTH PLAIN ***")
        #expect(POP3Command.apop(name: "a", digest: "c4c9334bac560ecc979e58001b3e22fb").description == "APOP a ***")
        #expect(POP3Command.auth(mechanism: "PLAIN", initialResponse: nil).description == "AUTH PLAIN")
        #expect(POP3Command.retr(5).description == "RETR 5")
        #expect("\(POP3Command.pass("hunter2"))".contains("hunter2") == false)
    }

    @Test func multilineResponses() {
        let multi: [POP3Command] = [.capa, .authList, .list(nil), .uidl(nil), .retr(1), .top(1, lines: 0)]
        let single: [POP3Command] = [
            .user("a"), .pass("b"), .auth(mechanism: "PLAIN", initialResponse: nil), .stls, .quit, .stat, .list(1), .uidl(1),
            .dele(1), .noop, .rset, .apop(name: "a", digest: "b"),
        ]
        #expect(multi.allSatisfy { $0.hasMultilineResponse })
        #expect(!single.contains { $0.hasMultilineResponse })
    }

    @Test func keywords() {
        #expect(POP3Command.top(1, lines: 2).keyword == "TOP")
        #expect(POP3Command.authList.keyword == "AUTH")
        #expect(POP3Command.authList.line == "AUTH")
    }
}
