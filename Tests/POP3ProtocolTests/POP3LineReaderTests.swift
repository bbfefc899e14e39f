import POP3Protocol
import TestSupport
import Testing

/// Command line framing: the RFC 2449 §4 limit, skipping over-long lines, bare LF,
/// the STLS hand-over.
@Suite struct POP3LineReaderTests {
    static let stream = bytes(
        "USER a\r\nPASS b c \nRETR " + String(repeating: "9", count: 100) + "\r\nSTAT\r\n"
            + String(repeating: "y", count: 30) + "\r\n" + String(repeating: "z", count: 31) + "\r\n"
            + String(repeating: "w", count: 31) + "\n\r\nQUIT\r\n\u{FF}\0\r\nLIS")

    @Test(arguments: chunkSizes)
    func framesInChunks(size: Int) {
        let (events, rest) = lineEvents(Self.stream, chunk: size, max: 32)
        #expect(
            events == [
                .line(bytes("USER a"), bareLF: false), .line(bytes("PASS b c "), bareLF: true), .tooLong,
                .line(bytes("STAT"), bareLF: false), .line(bytes(String(repeating: "y", count: 30)), bareLF: false),
                .tooLong, .tooLong, .line([], bareLF: false), .line(bytes("QUIT"), bareLF: false),
                .line(bytes("\u{FF}\0"), bareLF: false),
            ])
        #expect(rest == bytes("LIS"))
    }

    @Test func defaultLimitIsTheRFCs() {
        var reader = POP3LineReader(maxLineLength: POP3Defaults.commandLineLength)
        #expect(reader.maxLineLength == 255)
        reader.append(
            bytes("PASS " + String(repeating: "a", count: 248) + "\r\nPASS " + String(repeating: "b", count: 249) + "\r\nNOOP\r\n"))
        #expect(reader.next() == .line(bytes("PASS " + String(repeating: "a", count: 248)), bareLF: false))
        #expect(reader.next() == .tooLong)
        #expect(reader.next() == .line(bytes("NOOP"), bareLF: false))
    }

    @Test func discardsWhileTooLongAndStaysUsable() {
        var reader = POP3LineReader(maxLineLength: 16)
        for _ in 0..<1000 {
            reader.append([UInt8](repeating: 0x41, count: 1000))
            #expect(reader.next() == nil)
        }
        reader.append(bytes("\r\nNOOP\r\n"))
        #expect(reader.next() == .tooLong)
        #expect(reader.next() == .line(bytes("NOOP"), bareLF: false))
        #expect(reader.next() == nil && !reader.hasBufferedBytes)
    }

    @Test func saslLinesMayBeLonger() {
        var reader = POP3LineReader(maxLineLength: POP3Defaults.commandLineLength)
        let response = String(repeating: "QUFB", count: 500)
        reader.maxLineLength = POP3Defaults.saslLineLength
        reader.append(bytes(response + "\r\n"))
        #expect(reader.next() == .line(bytes(response), bareLF: false))
        reader.maxLineLength = POP3Defaults.commandLineLength
        reader.append(bytes(response + "\r\n"))
        #expect(reader.next() == .tooLong)
        reader.maxLineLength = 0
        #expect(reader.maxLineLength == 3)
    }

    @Test func stlsDiscardsWhatCameBeforeTheHandshake() {
        var reader = POP3LineReader(maxLineLength: POP3Defaults.commandLineLength)
        reader.append(bytes("STLS\r\nUSER injected\r\nPASS x\r\n"))
        #expect(reader.next() == .line(bytes("STLS"), bareLF: false))
        #expect(reader.hasBufferedBytes)
        #expect(reader.takeBuffered() == bytes("USER injected\r\nPASS x\r\n"))
        #expect(!reader.hasBufferedBytes && reader.next() == nil)
        reader.append(bytes("CAPA\r\n"))
        #expect(reader.next() == .line(bytes("CAPA"), bareLF: false))
    }
}
