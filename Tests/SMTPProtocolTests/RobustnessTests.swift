import SMTPProtocol
import TestSupport
import Testing

/// Seeded random and mutated input: no parser crashes, hangs or breaks its invariants.
@Suite struct RobustnessTests {
    static let seeds = [
        "MAIL FROM:<a@example.test> SIZE=10 BODY=8BITMIME", "RCPT TO:<@a.test,@b.test:\"x y\"@[IPv6:2001:db8::1]> NOTIFY=FAILURE",
        "RCPT TO:<user@[192.0.2.1]> ORCPT=rfc822;a+2Bb@x", "EHLO client.test", "BDAT 10 LAST", "AUTH PLAIN AGEAYg==",
        "MAIL FROM:<> AUTH=<> ENVID=x+20y RET=FULL SMTPUTF8", "RCPT TO:<用户@例子.测试>", "NOOP", "HELP x",
    ]
    static let alphabet = Array("<>@,;:.\"\\[]=+ -_%!aZ09\t\r\n\0\u{7F}".utf8) + [0x80, 0xC3, 0xA9, 0xFF]

    static func withoutRoute(_ command: SMTPCommand) -> SMTPCommand {
        switch command {
        case .mail(let path, let parameters): .mail(from: SMTPPath(mailbox: path.mailbox), parameters: parameters)
        case .rcpt(let path, let parameters): .rcpt(to: SMTPPath(mailbox: path.mailbox), parameters: parameters)
        default: command
        }
    }

    @Test func mutatedCommandsNeverCrash() {
        var generator = SeededGenerator(seed: 5321)
        for seed in Self.seeds {
            for _ in 0..<500 {
                let line = generator.mutated(bytes(seed), alphabet: Self.alphabet)
                if case .success(let command) = SMTPCommandParser.parse(line: line[...]) {
                    // Whatever parses, encodes to a line that parses to the same command
                    // (less the source route, which the encoder drops, RFC 5321 §4.1.1.3).
                    #expect(SMTPCommandParser.parse(line: command.encoded.dropLast(2)) == .success(Self.withoutRoute(command)))
                }
            }
        }
    }

    @Test func randomBytesThroughEveryParser() {
        var generator = SeededGenerator(seed: 0x5A7)
        for _ in 0..<1_000 {
            let length = Int.random(in: 0..<200, using: &generator)
            let input = generator.noise(length, favouring: Self.alphabet)
            _ = SMTPCommandParser.parse(line: input[...])
            var reader = SMTPLineReader(maxLineLength: 16)
            reader.append(input)
            while let event = reader.next() {
                if case .line(let line, _) = event { #expect(line.count <= 14) }
            }
            var replies = SMTPReplyParser(maxLineLength: 64)
            replies.append(bytes("250-") + input)
            while let reply = try? replies.next() { #expect((200...599).contains(reply.code)) }
            var decoder = DataStuffingDecoder(maxMessageSize: 50)
            let output = decoder.decode(input)
            #expect(output.message.count <= 50)
            let wire = DataStuffingEncoder.encode(message: input)
            var roundTrip = DataStuffingDecoder(maxMessageSize: Int.max)
            let decoded = roundTrip.decode(wire)
            #expect(decoded.isComplete && decoded.leftover.isEmpty && decoded.message.count >= input.count)
            _ = XText.decode(input)
            _ = EnhancedStatusCode(parsing: input)
            _ = AddressLiteral(text(input))
        }
    }
}
