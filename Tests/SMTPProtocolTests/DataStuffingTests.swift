import SMTPProtocol
import TestSupport
import Testing

/// RFC 5321 §4.5.2 dot-stuffing and the CRLF.CRLF end marker, both directions.
@Suite struct DataStuffingTests {
    /// Decodes `input` fed in chunks of `size`; returns message, leftover and findings.
    static func decode(
        _ input: [UInt8], chunk size: Int = Int.max, decoder: DataStuffingDecoder = DataStuffingDecoder()
    ) -> (message: [UInt8], complete: Bool, leftover: [UInt8], findings: DataStuffingDecoder.Findings) {
        var decoder = decoder
        var message: [UInt8] = []
        var leftover: [UInt8] = []
        var complete = false
        for piece in input.chunks(of: size) {
            let output = decoder.decode(piece)
            message += output.message
            leftover += output.leftover
            complete = complete || output.isComplete
        }
        return (message, complete, leftover, decoder.findings)
    }

    @Test(arguments: [
        // (wire, message, leftover, complete)
        (".\r\n", "", "", true),
        ("a\r\n.\r\n", "a\r\n", "", true),
        ("a\r\n.\r\nQUIT\r\n", "a\r\n", "QUIT\r\n", true),
        ("..a\r\n.\r\n", ".a\r\n", "", true),
        ("a\r\n..\r\n...\r\n.\r\n", "a\r\n.\r\n..\r\n", "", true),
        ("a\r\n.b\r\n.\r\n", "a\r\nb\r\n", "", true),
        ("a.\r\n.\r\n", "a.\r\n", "", true),
        ("\r\n.\r\n", "\r\n", "", true),
        ("a\r\n", "a\r\n", "", false),
        ("a\r\n.", "a\r\n", "", false),
        ("a\r\n.\r", "a\r\n", "", false),
        // Smuggling shapes: none of these ends the data. RFC 5321 §4.1.1.4
        ("a\n.\n", "a\r\n.\r\n", "", false),
        ("a\r\n.\n", "a\r\n\r\n", "", false),
        ("a\n.\r\n", "a\r\n.\r\n", "", false),
        ("a\r.\r\n", "a\r.\r\n", "", false),
        ("a\r\n.\rb\r\n", "a\r\n\rb\r\n", "", false),
        ("a\r\n.\r\r\n.\r\n", "a\r\n\r\r\n", "", true),
    ])
    func decodes(wire: String, message: String, leftover: String, complete: Bool) {
        for size in chunkSizes {
            let result = Self.decode(bytes(wire), chunk: size)
            #expect(text(result.message) == message, "chunk \(size)")
            #expect(text(result.leftover) == leftover)
            #expect(result.complete == complete)
        }
    }

    @Test func reportsFindings() {
        let wire = bytes("a\nb\rc\0d\r\n" + String(repeating: "x", count: 20) + "\r\n.\r\n")
        let found = Self.decode(wire, decoder: DataStuffingDecoder(maxLineLength: 10)).findings
        #expect(found.bareLineFeeds == 1 && found.bareCarriageReturns == 1 && found.nulBytes == 1)
        #expect(found.overLongLines == 1 && !found.sizeExceeded)
        let kept = Self.decode(bytes("a\nb\r\n.\r\n"), decoder: DataStuffingDecoder(normalizeBareLineFeeds: false))
        #expect(text(kept.message) == "a\nb\r\n")
    }

    @Test(arguments: chunkSizes)
    func sizeLimitKeepsReadingToTheEnd(size: Int) {
        let wire = bytes(String(repeating: "0123456789\r\n", count: 50) + ".\r\nQUIT\r\n")
        let result = Self.decode(wire, chunk: size, decoder: DataStuffingDecoder(maxMessageSize: 100))
        #expect(result.complete && text(result.leftover) == "QUIT\r\n")
        #expect(result.findings.sizeExceeded && result.findings.messageSize == 600)
        #expect(result.message == Array(wire.prefix(100)))  // the stored prefix is exact
    }

    /// The whole-message decoder and encoder agree, chunk size by chunk size.
    static let messages = [
        "", "a", "a\r\n", ".", "..", ".\r\n", "a\r\n.\r\nb", "a\n.\nb\n", "a\r.\rb", "\r\n\r\n", ".hidden\nlast line",
        "From: x\r\n\r\n.\r\n..\r\n...\r\nend", "\n", "\r", "\r\n.", String(repeating: "line\r\n.dot\r\n", count: 100),
    ]

    @Test(arguments: messages)
    func encodeDecodeRoundTrip(message: String) {
        let normalised = Self.normalise(bytes(message))
        let wire = DataStuffingEncoder.encode(message: bytes(message))
        #expect(wire.suffix(3) == bytes(".\r\n"))
        for size in chunkSizes {
            var encoder = DataStuffingEncoder()
            var streamed: [UInt8] = []
            for piece in bytes(message).chunks(of: size) { streamed += encoder.encode(piece) }
            streamed += encoder.finish()
            #expect(streamed == wire, "chunk \(size)")
            let decoded = Self.decode(wire + bytes("NOOP\r\n"), chunk: size)
            #expect(decoded.message == normalised && decoded.complete && text(decoded.leftover) == "NOOP\r\n")
            var clean = DataStuffingDecoder.Findings()
            clean.messageSize = normalised.count
            #expect(decoded.findings == clean)
        }
    }

    @Test func encodes() {
        #expect(text(DataStuffingEncoder.encode(message: bytes(".hidden\nlast line"))) == "..hidden\r\nlast line\r\n.\r\n")
        #expect(text(DataStuffingEncoder.encode(message: [])) == ".\r\n")
        #expect(text(DataStuffingEncoder.encode(message: bytes("a\r\n"))) == "a\r\n.\r\n")
        #expect(text(DataStuffingEncoder.encode(message: bytes("a\r"))) == "a\r\n.\r\n")
    }

    /// Every line end as CRLF, and a final CRLF if there is text.
    static func normalise(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13 {
                out += [13, 10]
                if index + 1 < bytes.count, bytes[index + 1] == 10 { index += 1 }
            } else if bytes[index] == 10 {
                out += [13, 10]
            } else {
                out.append(bytes[index])
            }
            index += 1
        }
        if !out.isEmpty, out.suffix(2) != [13, 10] { out += [13, 10] }
        return out
    }
}
