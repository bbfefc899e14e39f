import POP3Protocol
import TestSupport
import Testing

/// RFC 1939 §3 multi-line bodies: CRLF everywhere, byte-stuffing, the terminator —
/// exact bytes, whatever the chunk boundaries.
@Suite struct MultilineEncoderTests {
    static func encode(_ message: [UInt8], chunk size: Int) -> [UInt8] {
        var encoder = MultilineEncoder()
        var out: [UInt8] = []
        for piece in message.chunks(of: size) { out += encoder.encode(piece) }
        return out + encoder.finish()
    }

    static let cases: [(message: [UInt8], wire: [UInt8])] = [
        (bytes(""), bytes(".\r\n")),
        (bytes("a"), bytes("a\r\n.\r\n")),
        (bytes("a\r\n"), bytes("a\r\n.\r\n")),
        (bytes("a\n"), bytes("a\r\n.\r\n")),
        (bytes("a\r"), bytes("a\r\n.\r\n")),
        (bytes("\r\n"), bytes("\r\n.\r\n")),
        (bytes("\n\n"), bytes("\r\n\r\n.\r\n")),
        (bytes("\r\r"), bytes("\r\n\r\n.\r\n")),
        (bytes("\n\r"), bytes("\r\n\r\n.\r\n")),
        (bytes("\r\n\r\n"), bytes("\r\n\r\n.\r\n")),
        (bytes("."), bytes("..\r\n.\r\n")),
        (bytes(".\r\n"), bytes("..\r\n.\r\n")),
        (bytes(".."), bytes("...\r\n.\r\n")),
        (bytes("a.b\r\n.c"), bytes("a.b\r\n..c\r\n.\r\n")),
        (bytes("Subject: x\r\n\r\n.\r\n..\r\nend"), bytes("Subject: x\r\n\r\n..\r\n...\r\nend\r\n.\r\n")),
        (bytes("a\n.b\r.c\r\n.d"), bytes("a\r\n..b\r\n..c\r\n..d\r\n.\r\n")),
        (bytes("a\r\r\nb"), bytes("a\r\n\r\nb\r\n.\r\n")),
        (bytes("a\n\r\nb"), bytes("a\r\n\r\nb\r\n.\r\n")),
        (bytes("x\r\n.\r\ny"), bytes("x\r\n..\r\ny\r\n.\r\n")),  // the message's own ".CRLF" cannot end the body
        (
            [0x61, 0x00, 0x62, 0x0A, 0xFF, 0xC3, 0xA9, 0x80],
            [0x61, 0x00, 0x62, 0x0D, 0x0A, 0xFF, 0xC3, 0xA9, 0x80, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A]
        ),
        ([0x00], [0x00, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A]),
        ([0x2E, 0x00], [0x2E, 0x2E, 0x00, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A]),
        (bytes(" .a\t.b"), bytes(" .a\t.b\r\n.\r\n")),
    ]

    @Test(arguments: cases)
    func encodesExactly(message: [UInt8], wire: [UInt8]) {
        #expect(MultilineEncoder.encode(message: message) == wire)
    }

    @Test(arguments: chunkSizes)
    func sameBytesInEveryChunking(size: Int) {
        for (message, wire) in Self.cases {
            #expect(Self.encode(message, chunk: size) == wire, "chunk \(size): \(text(message).debugDescription)")
        }
    }

    @Test func crAtTheEndOfOneChunkAndLFAtTheStartOfTheNext() {
        var encoder = MultilineEncoder()
        var out = encoder.encode(bytes("a\r"))
        out += encoder.encode(bytes("\n.b\r"))
        out += encoder.encode(bytes("\r"))
        out += encoder.encode(bytes("\n"))
        out += encoder.finish()
        #expect(text(out) == "a\r\n..b\r\n\r\n.\r\n")
        // The encoder is ready for the next body after finish().
        #expect(text(encoder.encode(bytes(".x")) + encoder.finish()) == "..x\r\n.\r\n")
    }

    @Test func aLargeMessageStreams() {
        var generator = SeededGenerator(seed: 1939)
        let alphabet = bytes("ab.\r\n \t") + [0, 0xFF]
        let message = (0..<200_000).map { _ in alphabet.randomElement(using: &generator)! }
        let whole = MultilineEncoder.encode(message: message)
        #expect(Self.encode(message, chunk: 4096) == whole)
        #expect(Self.encode(message, chunk: 7) == whole)
        // Properties of every body: CRLF only, no unstuffed dot, one terminator.
        #expect(whole.suffix(5) == bytes("\r\n.\r\n") || whole == bytes(".\r\n"))
        var lines = text(whole.dropLast(3)).split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.removeLast() == "")
        for line in lines {
            #expect(!line.contains("\r") && !line.contains("\n"))
            #expect(!line.hasPrefix(".") || line.hasPrefix(".."))
        }
    }

    @Test func encodesLines() {
        #expect(text(MultilineEncoder.encode(lines: ["1 120", "2 200"])) == "1 120\r\n2 200\r\n.\r\n")
        #expect(text(MultilineEncoder.encode(lines: [])) == ".\r\n")
        #expect(text(MultilineEncoder.encode(lines: [".dot", "", "a\r\nb"])) == "..dot\r\n\r\na  b\r\n.\r\n")
    }
}
