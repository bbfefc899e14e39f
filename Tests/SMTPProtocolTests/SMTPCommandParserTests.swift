import SMTPProtocol
import TestSupport
import Testing

/// RFC 5321 §4.1.1 commands with the extensions we speak: one table of valid lines,
/// one of invalid lines with the reply class each must get.
@Suite struct SMTPCommandParserTests {
    static let none = MailParameters()

    @Test(arguments: [
        ("HELO client.example", SMTPCommand.helo("client.example")),
        ("helo client.example", .helo("client.example")),
        ("EHLO client.example", .ehlo("client.example")),
        ("EhLo [192.0.2.1]", .ehlo("[192.0.2.1]")),
        ("EHLO client.example   ", .ehlo("client.example")),
        ("MAIL FROM:<a@example.test>", .mail(from: SMTPPath(localPart: "a", domain: "example.test"), parameters: none)),
        ("mail from:<a@example.test>", .mail(from: SMTPPath(localPart: "a", domain: "example.test"), parameters: none)),
        ("MAIL FROM: <a@example.test>", .mail(from: SMTPPath(localPart: "a", domain: "example.test"), parameters: none)),
        ("MAIL FROM:<>", .mail(from: .null, parameters: none)),
        ("MAIL FROM:<> SIZE=0", .mail(from: .null, parameters: MailParameters(size: 0))),
        (
            "MAIL FROM:<a@x.test> SIZE=1024 BODY=8BITMIME",
            .mail(
                from: SMTPPath(localPart: "a", domain: "x.test"), parameters: MailParameters(size: 1024, body: .eightBitMIME))
        ),
        (
            "MAIL FROM:<a@x.test>  size=5   body=binarymime smtputf8",
            .mail(
                from: SMTPPath(localPart: "a", domain: "x.test"),
                parameters: MailParameters(size: 5, body: .binaryMIME, smtpUTF8: true))
        ),
        (
            "MAIL FROM:<a@x.test> RET=HDRS ENVID=QQ+2B314159",
            .mail(
                from: SMTPPath(localPart: "a", domain: "x.test"), parameters: MailParameters(ret: .headers, envelopeID: "QQ+314159"))
        ),
        (
            "MAIL FROM:<a@x.test> AUTH=<>",
            .mail(
                from: SMTPPath(localPart: "a", domain: "x.test"), parameters: MailParameters(auth: .unknown))
        ),
        (
            "MAIL FROM:<a@x.test> AUTH=e+2Bf@x.test",
            .mail(
                from: SMTPPath(localPart: "a", domain: "x.test"), parameters: MailParameters(auth: .identity("e+f@x.test")))
        ),
        (
            "MAIL FROM:<a@x.test> XFOO=bar XBAZ",
            .mail(
                from: SMTPPath(localPart: "a", domain: "x.test"),
                parameters: MailParameters(other: [ESMTPParameter("XFOO", "bar"), ESMTPParameter("XBAZ")]))
        ),
        (
            "MAIL FROM:<user%other.test@example.test>",
            .mail(
                from: SMTPPath(localPart: "user%other.test", domain: "example.test"), parameters: none)
        ),
        ("RCPT TO:<b@example.test>", .rcpt(to: SMTPPath(localPart: "b", domain: "example.test"), parameters: RcptParameters())),
        ("RCPT TO:<Postmaster>", .rcpt(to: SMTPPath(localPart: "Postmaster", domain: ""), parameters: RcptParameters())),
        ("RCPT TO:<postmaster>", .rcpt(to: SMTPPath(localPart: "postmaster", domain: ""), parameters: RcptParameters())),
        (
            "RCPT TO:<b@x.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bc@x.test",
            .rcpt(
                to: SMTPPath(localPart: "b", domain: "x.test"),
                parameters: RcptParameters(
                    notify: [.success, .failure],
                    originalRecipient: .init(addressType: "rfc822", address: "b+c@x.test")))
        ),
        (
            "RCPT TO:<b@x.test> ORCPT=utf-8;j\\x{E9}@x.test",
            .rcpt(
                to: SMTPPath(localPart: "b", domain: "x.test"),
                parameters: RcptParameters(originalRecipient: .init(addressType: "utf-8", address: "jé@x.test")))
        ),
        (
            "RCPT TO:<b@x.test> NOTIFY=never",
            .rcpt(
                to: SMTPPath(localPart: "b", domain: "x.test"), parameters: RcptParameters(notify: []))
        ),
        ("DATA", .data),
        ("data", .data),
        ("BDAT 1000", .bdat(size: 1000, last: false)),
        ("BDAT 0 LAST", .bdat(size: 0, last: true)),
        ("bdat 12 last", .bdat(size: 12, last: true)),
        ("RSET", .rset),
        ("NOOP", .noop(nil)),
        ("NOOP hello there", .noop("hello there")),
        ("VRFY alice", .vrfy("alice")),
        ("EXPN staff", .expn("staff")),
        ("HELP", .help(nil)),
        ("HELP MAIL", .help("MAIL")),
        ("QUIT", .quit),
        ("StartTLS", .startTLS),
        ("AUTH PLAIN", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("auth plain AGFsaWNlAHNlY3JldA==", .auth(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA==")),
        ("AUTH LOGIN =", .auth(mechanism: "LOGIN", initialResponse: "=")),
        ("AUTH SCRAM-SHA-256", .auth(mechanism: "SCRAM-SHA-256", initialResponse: nil)),
    ])
    func parsesValid(line: String, expected: SMTPCommand) {
        #expect(parse(line) == .success(expected))
    }

    @Test(arguments: [
        ("", SMTPSyntaxError.Kind.syntaxError),
        ("   ", .syntaxError),
        ("MAIL FROM:<a@b>\r", .syntaxError),
        ("NOOP a\0b", .syntaxError),
        ("FOO bar", .unrecognizedCommand),
        ("MAILFROM:<a@x.test>", .unrecognizedCommand),
        ("\u{FF}LO x", .unrecognizedCommand),
        ("HELO", .parameterSyntax),
        ("EHLO ", .parameterSyntax),
        ("DATA now", .parameterSyntax),
        ("QUIT please", .parameterSyntax),
        ("STARTTLS x", .parameterSyntax),
        ("MAIL <a@x.test>", .parameterSyntax),
        ("MAIL TO:<a@x.test>", .parameterSyntax),
        ("MAIL FROM:a@x.test", .badSenderAddress),
        ("MAIL FROM:<a@x.test", .badSenderAddress),
        ("MAIL FROM:<a@x.test>SIZE=1", .badSenderAddress),
        ("MAIL FROM:<a@>", .badSenderAddress),
        ("MAIL FROM:<@x.test>", .badSenderAddress),
        ("MAIL FROM:<a..b@x.test>", .badSenderAddress),
        ("MAIL FROM:<.a@x.test>", .badSenderAddress),
        ("MAIL FROM:<a.@x.test>", .badSenderAddress),
        ("MAIL FROM:<a b@x.test>", .badSenderAddress),
        ("MAIL FROM:<a@-x.test>", .badSenderAddress),
        ("MAIL FROM:<a@x..test>", .badSenderAddress),
        ("MAIL FROM:<a@x_y.test>", .badSenderAddress),
        ("MAIL FROM:<a@[300.1.1.1]>", .badSenderAddress),
        ("MAIL FROM:<a@[IPv6:1::2::3]>", .badSenderAddress),
        ("MAIL FROM:<Postmaster>", .badSenderAddress),
        ("MAIL FROM:<\"unterminated@x.test>", .badSenderAddress),
        ("MAIL FROM:<a@x.test> SIZE=abc", .parameterSyntax),
        ("MAIL FROM:<a@x.test> SIZE=", .parameterSyntax),
        ("MAIL FROM:<a@x.test> SIZE=123456789012345678901", .parameterSyntax),
        ("MAIL FROM:<a@x.test> BODY=9BIT", .parameterSyntax),
        ("MAIL FROM:<a@x.test> SMTPUTF8=yes", .parameterSyntax),
        ("MAIL FROM:<a@x.test> RET=ALL", .parameterSyntax),
        ("MAIL FROM:<a@x.test> ENVID=a+zz", .parameterSyntax),
        ("MAIL FROM:<a@x.test> SIZE=1 SIZE=2", .parameterSyntax),
        ("MAIL FROM:<a@x.test> -X=1", .parameterSyntax),
        ("MAIL FROM:<a@x.test> X==1", .parameterSyntax),
        ("RCPT TO:<>", .badRecipientAddress),
        ("RCPT TO:b@x.test", .badRecipientAddress),
        ("RCPT TO:<b>", .badRecipientAddress),
        ("RCPT TO:<@x.test>", .badRecipientAddress),
        ("RCPT TO:<@a.test,b@x.test>", .badRecipientAddress),
        ("RCPT TO:<b@x.test> NOTIFY=NEVER,SUCCESS", .parameterSyntax),
        ("RCPT TO:<b@x.test> NOTIFY=SOMETIMES", .parameterSyntax),
        ("RCPT TO:<b@x.test> NOTIFY=SUCCESS,SUCCESS", .parameterSyntax),
        ("RCPT TO:<b@x.test> ORCPT=b@x.test", .parameterSyntax),
        ("BDAT", .parameterSyntax),
        ("BDAT x", .parameterSyntax),
        ("BDAT -1", .parameterSyntax),
        ("BDAT 10 FIRST", .parameterSyntax),
        ("BDAT 1 LAST more", .parameterSyntax),
        ("BDAT 99999999999999999999", .parameterSyntax),
        ("VRFY", .parameterSyntax),
        ("AUTH", .parameterSyntax),
        ("AUTH PLAIN abc def", .parameterSyntax),
        ("AUTH PL@IN", .parameterSyntax),
        ("AUTH PLAIN a*b", .parameterSyntax),
        ("AUTH ABCDEFGHIJKLMNOPQRSTU", .parameterSyntax),
    ])
    func refusesInvalid(line: String, expected: SMTPSyntaxError.Kind) {
        #expect(errorKind(line) == expected)
    }

    @Test func errorsMapToReplies() {
        let cases: [(SMTPSyntaxError.Kind, Int, String)] = [
            (.unrecognizedCommand, 500, "5.5.1"), (.syntaxError, 500, "5.5.2"), (.parameterSyntax, 501, "5.5.4"),
            (.badSenderAddress, 501, "5.1.7"), (.badRecipientAddress, 501, "5.1.3"), (.parameterNotRecognized, 555, "5.5.4"),
        ]
        for (kind, code, enhanced) in cases {
            let reply = SMTPSyntaxError(kind, "x").reply
            #expect(reply.code == code && reply.enhancedCode?.description == enhanced)
        }
    }

    @Test func commandLineLimitsAreParameters() {
        let long = String(repeating: "a", count: 65)
        #expect(errorKind("RCPT TO:<\(long)@x.test>") == .badRecipientAddress)
        let loose = SMTPCommandParser(localPartLength: 128)
        guard case .success(.rcpt(let path, _)) = loose.parse(bytes("RCPT TO:<\(long)@x.test>")[...]) else {
            Issue.record("a raised local-part limit must accept 65 octets")
            return
        }
        #expect(path.mailbox?.localPart == long)
        let label = String(repeating: "d", count: 63)
        let domain = [label, label, label, String(repeating: "d", count: 58)].joined(separator: ".")
        #expect(domain.utf8.count == 250)
        #expect(errorKind("RCPT TO:<a@\(domain)>") == nil)
        #expect(errorKind("RCPT TO:<a@\(domain)ddddd.x>") == .badRecipientAddress)  // path over 256
        let wide = SMTPCommandParser(pathLength: 1_000)
        #expect((try? wide.parse(bytes("RCPT TO:<a@\(domain).dddd>")[...]).get()) != nil)  // 255
        #expect((try? wide.parse(bytes("RCPT TO:<a@\(domain).ddddd>")[...]).get()) == nil)  // 256
        #expect(errorKind("RCPT TO:<a@\(String(repeating: "d", count: 64)).test>") == .badRecipientAddress)
    }

    /// Every command the client side writes parses back to itself.
    @Test(arguments: [
        SMTPCommand.helo("a.test"), .ehlo("[IPv6:2001:db8::1]"),
        .mail(
            from: .null, parameters: MailParameters(size: 10, body: .sevenBit, ret: .full, envelopeID: "id with space+=", auth: .unknown)),
        .mail(from: SMTPPath(localPart: "jöhn doe", domain: "exämple.test"), parameters: MailParameters(smtpUTF8: true)),
        .mail(from: SMTPPath(localPart: "a\"b\\c", domain: "x.test"), parameters: MailParameters(auth: .identity("a=b+c@x"))),
        .rcpt(
            to: SMTPPath(localPart: "b", domain: "[192.0.2.1]"),
            parameters: RcptParameters(notify: [.delay, .failure], originalRecipient: .init(addressType: "rfc822", address: "b; c@x"))),
        .rcpt(to: SMTPPath(localPart: "Postmaster", domain: ""), parameters: RcptParameters(notify: [])),
        .rcpt(
            to: SMTPPath(localPart: "b", domain: "x.test"),
            parameters: RcptParameters(originalRecipient: .init(addressType: "utf-8", address: "jö+e=1\\ @x"))),
        .data, .bdat(size: 42, last: true), .bdat(size: 7, last: false), .rset, .noop(nil), .noop("x"), .vrfy("u"),
        .expn("l"), .help(nil), .quit, .startTLS, .auth(mechanism: "PLAIN", initialResponse: "AA=="),
    ])
    func roundTrips(command: SMTPCommand) {
        let encoded = command.encoded
        #expect(encoded.suffix(2) == [13, 10])
        #expect(SMTPCommandParser.parse(line: encoded.dropLast(2)) == .success(command))
    }
}
