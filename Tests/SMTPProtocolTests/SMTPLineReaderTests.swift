import SMTPProtocol
import TestSupport
import Testing

/// Command-phase line framing: limits, bare LF, pipelining hand-over.
@Suite struct SMTPLineReaderTests {
    static let stream = bytes(
        "EHLO a\r\nMAIL FROM:<a@b>\nRCPT TO:<" + String(repeating: "x", count: 100) + ">\r\nRSET\r\n"
            + String(repeating: "y", count: 30) + "\r\n" + String(repeating: "z", count: 31) + "\r\n"
            + String(repeating: "w", count: 31) + "\n\r\nQUIT\r\nDAT")

    @Test(arguments: chunkSizes)
    func framesInChunks(size: Int) {
        let (events, rest) = lineEvents(Self.stream, chunk: size, max: 32)
        #expect(
            events == [
                .line(bytes("EHLO a"), bareLF: false), .line(bytes("MAIL FROM:<a@b>"), bareLF: true), .tooLong,
                .line(bytes("RSET"), bareLF: false), .line(bytes(String(repeating: "y", count: 30)), bareLF: false),
                .tooLong, .tooLong, .line([], bareLF: false), .line(bytes("QUIT"), bareLF: false),
            ])
        #expect(rest == bytes("DAT"))
    }

    @Test func handsOverPipelinedBytes() {
        var reader = SMTPLineReader(maxLineLength: SMTPDefaults.commandLineLength)
        reader.append(bytes("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n"))
        #expect(reader.next() == .line(bytes("DATA"), bareLF: false))
        #expect(reader.hasBufferedBytes)
        #expect(reader.takeBuffered() == bytes("Subject: x\r\n\r\nbody\r\n.\r\n"))
        #expect(!reader.hasBufferedBytes && reader.next() == nil)
        reader.append(bytes("QUIT\r\n"))
        #expect(reader.next() == .line(bytes("QUIT"), bareLF: false))
    }

    @Test func discardsWhileTooLong() {
        var reader = SMTPLineReader(maxLineLength: 16)
        for _ in 0..<1000 {
            reader.append([UInt8](repeating: 0x41, count: 1000))
            #expect(reader.next() == nil)
        }
        reader.append(bytes("\r\nNOOP\r\n"))
        #expect(reader.next() == .tooLong)
        #expect(reader.next() == .line(bytes("NOOP"), bareLF: false))
    }

    @Test func defaultLimitIsTheRFCs() {
        var reader = SMTPLineReader(maxLineLength: SMTPDefaults.commandLineLength)
        reader.append(bytes(String(repeating: "a", count: 510) + "\r\n" + String(repeating: "b", count: 511) + "\r\n"))
        #expect(reader.next() == .line(bytes(String(repeating: "a", count: 510)), bareLF: false))
        #expect(reader.next() == .tooLong)
    }
}
