import POP3Protocol
import TestSupport
import Testing

/// Seeded random and mutated input: no parser or encoder crashes, hangs or breaks its
/// invariants.
@Suite struct RobustnessTests {
    static let seeds = [
        "USER alice@example.org", "PASS secret phrase", "AUTH PLAIN AGEAYg==", "AUTH", "LIST 1", "RETR 2147483647",
        "TOP 1 10", "UIDL", "DELE 3", "APOP a c4c9334bac560ecc979e58001b3e22fb", "STLS", "CAPA",
    ]
    static let alphabet = Array("+-=/[]. 09aZ\t\r\n\0\u{7F}".utf8) + [0x80, 0xC3, 0xA9, 0xFF]

    @Test func mutatedCommandsNeverCrash() {
        var generator = SeededGenerator(seed: 1939)
        var parsed = 0
        for seed in Self.seeds {
            for _ in 0..<500 {
                let line = generator.mutated(bytes(seed), alphabet: Self.alphabet)
                switch POP3CommandParser.parse(line: line[...]) {
                case .success(let command):
                    parsed += 1
                    // Whatever parses, encodes to a line that parses to the same command.
                    #expect(POP3CommandParser.parse(line: command.encoded.dropLast(2)) == .success(command), "\(line)")
                case .failure(let error):
                    #expect(error.response.status == .err)
                }
            }
        }
        #expect(parsed > 100)
    }

    @Test func randomBytesThroughEveryParser() {
        var generator = SeededGenerator(seed: 0x2449)
        for _ in 0..<1_000 {
            let length = Int.random(in: 0..<200, using: &generator)
            let input = generator.noise(length, favouring: Self.alphabet)
            _ = POP3CommandParser.parse(line: input[...])
            _ = POP3Response(parsing: input[...])
            _ = POP3ResponseCode(parsing: input[...])
            _ = UniqueID.parse(text(input))

            var reader = POP3LineReader(maxLineLength: 16)
            reader.append(input)
            while let event = reader.next() {
                if case .line(let line, _) = event { #expect(line.count <= 14) }
            }

            for prefix in ["+OK\r\n", "", "-ERR\r\n"] {
                var parser = POP3ResponseParser(maxLineLength: 64)
                parser.append(bytes(prefix) + input)
                var events = 0
                while let event = try? parser.next(expecting: .multiline) {
                    events += 1
                    #expect(events <= input.count + 2)
                    if case .body(let piece) = event { #expect(!piece.isEmpty) }
                }
            }

            // Encoded bodies decode back to the message with line ends made CRLF.
            let wire = MultilineEncoder.encode(message: input)
            var parser = POP3ResponseParser()
            parser.append(POP3Response.ok().encoded + wire)
            var body: [UInt8] = []
            var ended = false
            #expect((try? parser.next(expecting: .multiline)) == .status(.ok()))
            while let event = try? parser.next(expecting: .multiline) {
                switch event {
                case .body(let piece): body += piece
                case .end: ended = true
                case .status: Issue.record("status inside a body")
                }
            }
            #expect(ended && !parser.isInBody)
            #expect(body == Self.normalised(input))

            let top = TopEncoder.encode(message: input, bodyLines: Int.random(in: 0..<5, using: &generator))
            #expect(top.count <= wire.count && top.suffix(3) == [0x2E, 0x0D, 0x0A])
        }
    }

    /// The message with every line end made CRLF and a final CRLF added: what a body
    /// carries. RFC 1939 §3
    static func normalised(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < message.count {
            let byte = message[index]
            if byte == 0x0D {
                out += [0x0D, 0x0A]
                if index + 1 < message.count, message[index + 1] == 0x0A { index += 1 }
            } else if byte == 0x0A {
                out += [0x0D, 0x0A]
            } else {
                out.append(byte)
            }
            index += 1
        }
        if let last = out.last, last != 0x0A { out += [0x0D, 0x0A] }
        return out
    }
}
