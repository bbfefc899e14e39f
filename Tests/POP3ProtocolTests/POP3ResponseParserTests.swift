import POP3Protocol
import TestSupport
import Testing

/// The client side: status lines, SASL continuations and dot-unstuffed bodies, the
/// same whatever the chunking; garbage is an error that sticks.
@Suite struct POP3ResponseParserTests {
    /// What a parser makes of a stream: events with adjacent body pieces joined.
    static func events(
        _ input: [UInt8], expecting: [POP3ResponseParser.Expectation], chunk size: Int
    ) throws(POP3ResponseParser.Error) -> [POP3ResponseParser.Event] {
        var parser = POP3ResponseParser()
        var events: [POP3ResponseParser.Event] = []
        var expectations = expecting[...]
        for piece in input.chunks(of: size) {
            parser.append(piece)
            while let event = try parser.next(expecting: expectations.first ?? .singleLine) {
                if case .body(let more) = event, case .body(let earlier) = events.last {
                    #expect(!more.isEmpty)
                    events[events.count - 1] = .body(earlier + more)
                } else {
                    events.append(event)
                }
                if case .status(let response) = event, !(response.isOK && expectations.first == .multiline) {
                    expectations = expectations.dropFirst()
                }
                if event == .end { expectations = expectations.dropFirst() }
            }
        }
        return events
    }

    static let session = bytes(
        "+OK pop.example POP3 ready\r\n+ \r\n+OK Logged in\r\n+OK 2 320\r\n+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n"
            + "+OK 120 octets\r\nSubject: x\r\n\r\n..dot\r\n...\r\n.\rno\r\n.x\r\nlast\r\n.\r\n"
            + "-ERR [SYS/TEMP] later\r\n+OK\r\n.\r\n+OK\n.\n-ERR No such message\r\n+OK\r\n\r\n.\r\n+OK 1 7.42\r\n")
    static let expectations: [POP3ResponseParser.Expectation] = [
        .singleLine, .singleLine, .singleLine, .singleLine, .multiline, .multiline, .multiline, .multiline, .multiline,
        .multiline, .multiline, .singleLine,
    ]
    static let expected: [POP3ResponseParser.Event] = [
        .status(.greeting("pop.example")), .status(.continuation()), .status(.loggedIn), .status(.ok("2 320")),
        .status(.ok("2 messages")), .body(bytes("1 120\r\n2 200\r\n")), .end,
        .status(.ok("120 octets")), .body(bytes("Subject: x\r\n\r\n.dot\r\n..\r\n\rno\r\nx\r\nlast\r\n")), .end,
        .status(.tempFailure.withText("later")), .status(.ok()), .end, .status(.ok()), .end,
        .status(.noSuchMessage), .status(.ok()), .body(bytes("\r\n")), .end, .status(.ok("1 7.42")),
    ]

    @Test(arguments: chunkSizes)
    func sameEventsInEveryChunking(size: Int) throws {
        #expect(try Self.events(Self.session, expecting: Self.expectations, chunk: size) == Self.expected)
    }

    @Test(arguments: chunkSizes)
    func decodesWhatTheEncoderWrote(size: Int) throws {
        var generator = SeededGenerator(seed: 2449)
        let alphabet = bytes("a.\r\n ") + [0, 0xFF]
        for _ in 0..<40 {
            // Messages with CRLF line ends come back exactly; others come back normalised.
            var message: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<12, using: &generator) {
                for _ in 0..<Int.random(in: 0..<6, using: &generator) {
                    let byte = alphabet.randomElement(using: &generator)!
                    if byte != 0x0D, byte != 0x0A { message.append(byte) }
                }
                message += [0x0D, 0x0A]
            }
            let wire = POP3Response.ok().encoded + MultilineEncoder.encode(message: message)
            let events = try Self.events(wire, expecting: [.multiline], chunk: size)
            let expected: [POP3ResponseParser.Event] = message.isEmpty ? [.status(.ok()), .end] : [.status(.ok()), .body(message), .end]
            #expect(events == expected)
        }
    }

    @Test func bodyOnlyAfterOK() throws {
        var parser = POP3ResponseParser()
        parser.append(bytes("-ERR no\r\n+ abc\r\n+OK\r\n.\r\n"))
        #expect(try parser.next(expecting: .multiline) == .status(POP3Response(.err, nil, "no")))
        #expect(!parser.isInBody)
        #expect(try parser.next(expecting: .multiline) == .status(.continuation("abc")))
        #expect(try parser.next(expecting: .multiline) == .status(.ok()))
        #expect(parser.isInBody)
        #expect(try parser.next(expecting: .singleLine) == .end)
        #expect(try parser.next(expecting: .singleLine) == nil)
    }

    @Test func garbageIsAnErrorThatSticks() {
        var parser = POP3ResponseParser()
        parser.append(bytes("* OK IMAP here\r\n+OK\r\n"))
        #expect(throws: POP3ResponseParser.Error.malformedLine) { try parser.next(expecting: .singleLine) }
        #expect(throws: POP3ResponseParser.Error.malformedLine) { try parser.next(expecting: .singleLine) }
    }

    @Test func overLongStatusLine() throws {
        var parser = POP3ResponseParser(maxLineLength: 64)
        parser.append(bytes("+OK " + String(repeating: "x", count: 100)))
        #expect(throws: POP3ResponseParser.Error.lineTooLong) { try parser.next(expecting: .singleLine) }
        var complete = POP3ResponseParser(maxLineLength: 64)
        complete.append(bytes("+OK " + String(repeating: "x", count: 60) + "\r\n"))
        #expect(throws: POP3ResponseParser.Error.lineTooLong) { try complete.next(expecting: .singleLine) }
        // Body lines have no limit: they are message lines.
        var body = POP3ResponseParser(maxLineLength: 64)
        body.append(bytes("+OK\r\n" + String(repeating: "y", count: 10_000) + "\r\n.\r\n"))
        #expect(try body.next(expecting: .multiline) == .status(.ok()))
        #expect(try body.next(expecting: .multiline) == .body(bytes(String(repeating: "y", count: 10_000) + "\r\n")))
        #expect(try body.next(expecting: .multiline) == .end)
    }
}

extension POP3Response {
    func withText(_ text: String) -> POP3Response { POP3Response(status, code, text) }
}
