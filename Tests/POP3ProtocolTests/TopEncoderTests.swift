import POP3Protocol
import TestSupport
import Testing

/// RFC 1939 §7 TOP: the header, the blank line, then n body lines — counted the way
/// the multi-line encoder ends lines, stopping early, whatever the chunking.
@Suite struct TopEncoderTests {
    static func top(_ message: [UInt8], lines: Int, chunk size: Int) -> (wire: [UInt8], completeBeforeFinish: Bool) {
        var encoder = TopEncoder(bodyLines: lines)
        var out: [UInt8] = []
        for piece in message.chunks(of: size) { out += encoder.encode(piece) }
        let complete = encoder.isComplete
        return (out + encoder.finish(), complete)
    }

    static let message = bytes("From: a@b\r\nSubject: x\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n")

    static let cases: [(message: [UInt8], lines: Int, wire: String, complete: Bool)] = [
        (message, 0, "From: a@b\r\nSubject: x\r\n\r\n.\r\n", true),
        (message, 1, "From: a@b\r\nSubject: x\r\n\r\nline 1\r\n.\r\n", true),
        (message, 2, "From: a@b\r\nSubject: x\r\n\r\nline 1\r\n..line 2\r\n.\r\n", true),
        (message, 3, "From: a@b\r\nSubject: x\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n.\r\n", true),
        (message, 4, "From: a@b\r\nSubject: x\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n.\r\n", false),
        (message, -5, "From: a@b\r\nSubject: x\r\n\r\n.\r\n", true),
        // Bare LF and bare CR end lines, as RETR would send them.
        (bytes("S: x\n\nb1\nb2\n"), 1, "S: x\r\n\r\nb1\r\n.\r\n", true),
        (bytes("S: x\r\rb1\rb2\r"), 1, "S: x\r\n\r\nb1\r\n.\r\n", true),
        (bytes("S: x\r\r\nb1\r\nb2"), 2, "S: x\r\n\r\nb1\r\nb2\r\n.\r\n", false),
        (bytes("S: x\r\n\r\nonly"), 5, "S: x\r\n\r\nonly\r\n.\r\n", false),
        (bytes("S: x\r\n\r\n\r\n\r\nz"), 2, "S: x\r\n\r\n\r\n\r\n.\r\n", true),
        // No blank line: all header, sent whole.
        (bytes("S: x\r\nT: y"), 0, "S: x\r\nT: y\r\n.\r\n", false),
        // An empty header: the first line is the blank line.
        (bytes("\r\nbody\r\nmore\r\n"), 1, "\r\nbody\r\n.\r\n", true),
        (bytes(""), 3, ".\r\n", false),
    ]

    @Test(arguments: chunkSizes)
    func sameBytesInEveryChunking(size: Int) {
        for (message, lines, wire, complete) in Self.cases {
            let result = Self.top(message, lines: lines, chunk: size)
            #expect(result.wire == bytes(wire), "chunk \(size) lines \(lines): \(text(message).debugDescription)")
            #expect(result.completeBeforeFinish == complete, "chunk \(size) lines \(lines): \(text(message).debugDescription)")
        }
    }

    @Test func eightBitBytesPassExactly() {
        let message: [UInt8] = [0x53, 0x3A, 0x00, 0x0A, 0x0A, 0xFF, 0x0A, 0x2E, 0x0A]
        for size in chunkSizes {
            #expect(
                Self.top(message, lines: 1, chunk: size).wire == [
                    0x53, 0x3A, 0x00, 0x0D, 0x0A, 0x0D, 0x0A, 0xFF, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A,
                ])
        }
    }

    @Test func stopsEarlyAndIgnoresTheRest() {
        var encoder = TopEncoder(bodyLines: 1)
        var out = encoder.encode(bytes("S: x\r\n\r\nfirst\r"))
        #expect(encoder.isComplete)
        out += encoder.encode(bytes("\nsecond\r\n" + String(repeating: "z", count: 10_000)))
        #expect(text(out + encoder.finish()) == "S: x\r\n\r\nfirst\r\n.\r\n")
    }

    @Test func allTheLinesIsRETR() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = bytes("ab.:\r\n ")
        for _ in 0..<200 {
            let message = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            #expect(TopEncoder.encode(message: message, bodyLines: 10_000) == MultilineEncoder.encode(message: message))
        }
    }
}
