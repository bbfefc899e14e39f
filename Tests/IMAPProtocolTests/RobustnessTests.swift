import IMAPProtocol
import TestSupport
import Testing

/// Seeded random and mutated input: nothing crashes or hangs, and invariants hold.
@Suite struct RobustnessTests {
    static let seeds: [[UInt8]] =
        RoundTripTests.commands.map { $0.encoded() } + [
            bytes("a1 APPEND INBOX (\\Seen) \" 7-Feb-1994 21:52:25 -0800\" {5+}\r\nhello\r\n"),
            bytes("a1 UID FETCH 1:*,$ (FLAGS)\r\n"), bytes("a1 LOGIN ~{3}\r\nabc {2}\r\nxy\r\n"),
        ]
    static let alphabet = Array("(){}[]\"\\ +~*%$:,-0123456789aZ&\r\n\0\u{7F}".utf8) + [0x80, 0xC3, 0xA9, 0xFF]

    @Test func mutatedCommandsNeverCrash() {
        var generator = SeededGenerator(seed: 9051)
        for seed in Self.seeds {
            for _ in 0..<300 {
                let wire = generator.mutated(seed, alphabet: Self.alphabet)
                let reader = IMAPCommandReader(maxLineLength: 64, maxLiteralSize: 1_000)
                let whole = frame(wire, reader: reader)
                // Chunking never changes what is framed.
                #expect(frame(wire, chunk: Int.random(in: 1...16, using: &generator), reader: reader) == whole)
                for framed in commands(whole) {
                    if case .success(let command) = IMAPCommandParser().parse(framed) {
                        // Whatever parses, encodes to bytes that parse to the same command.
                        let again = commands(frame(command.encoded())).map { IMAPCommandParser().parse($0) }
                        #expect(again == [.success(command)], "\(text(framed.wire).debugDescription)")
                    }
                }
            }
        }
    }

    @Test func randomBytesThroughEveryParser() {
        var generator = SeededGenerator(seed: 0x1AB)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<200, using: &generator)
            let input = generator.noise(length, favouring: Self.alphabet)
            let string = text(input)
            _ = try? SequenceSet(parsing: string)
            _ = try? IMAPDate(parsing: string)
            _ = try? IMAPDateTime(parsing: string)
            _ = try? Flag.parseList(string)
            _ = try? IMAPString.parse(input, allowNil: true)
            if let name = ModifiedUTF7.decode(input) { #expect(ModifiedUTF7.encode(name) == input) }  // canonical
            _ = IMAPCommandParser().parse(IMAPFramedCommand(lines: [input]))
            for event in frame(input, reader: IMAPCommandReader(maxLineLength: 32, maxLiteralSize: 8)) {
                if case .command(let c) = event {
                    #expect(c.lines.allSatisfy { $0.count <= 30 })
                    #expect(c.literals.allSatisfy { $0.count <= 8 })
                }
            }
        }
    }

    @Test func deepNestingIsRefused() {
        let deep = "a1 STATUS INBOX " + String(repeating: "(", count: 10_000)
        #expect(errorKind(deep) != nil)
        let balanced = "a1 SEARCH " + String(repeating: "(", count: 32) + "ALL" + String(repeating: ")", count: 32)
        #expect(errorKind(balanced) == nil)
        #expect(errorKind("a1 SEARCH " + String(repeating: "(", count: 33) + "x") == .tooDeep)
    }
}
