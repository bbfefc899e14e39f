import IMAPProtocol
import Testing

/// Literals over `streamThreshold` come out as `.literalStart` and `.literalData` events,
/// whatever the chunking, and the command keeps an empty placeholder for them.
@Suite struct StreamedLiteralTests {
    /// Feeds `wire` in chunks of `chunk` bytes and collects every event.
    func events(_ wire: [UInt8], chunk: Int, threshold: Int) -> [IMAPCommandReader.Event] {
        var reader = IMAPCommandReader()
        reader.streamThreshold = threshold
        var out: [IMAPCommandReader.Event] = []
        var index = 0
        while index < wire.count {
            reader.append(wire[index..<min(index + chunk, wire.count)])
            index += chunk
            while let event = reader.next() { out.append(event) }
        }
        return out
    }

    @Test("A big APPEND literal is streamed in pieces; small ones stay in the command", arguments: [1, 7, 64, 100_000])
    func streamsBigLiterals(chunk: Int) {
        let message = (0..<5000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let wire = Array("a1 APPEND INBOX (\\Seen) {5000}\r\n".utf8) + message + Array("\r\na2 LOGIN {5+}\r\nalice x\r\n".utf8)
        let seen = events(wire, chunk: chunk, threshold: 1000)
        #expect(seen.first == .continuationRequest)
        #expect(seen.dropFirst().first == .literalStart(size: 5000))
        let streamed = seen.flatMap { event -> [UInt8] in
            if case .literalData(let bytes) = event { return bytes }
            return []
        }
        #expect(streamed == message)
        let commands = seen.compactMap { event -> IMAPFramedCommand? in
            if case .command(let command) = event { return command }
            return nil
        }
        #expect(commands.count == 2)
        #expect(commands[0].streamedLiterals == [0] && commands[0].literals == [[]])
        #expect(commands[1].streamedLiterals.isEmpty && commands[1].literals == [Array("alice".utf8)])
    }

    @Test("A non-synchronizing big literal starts streaming without a continuation")
    func nonSynchronizing() {
        let wire = Array("a1 APPEND INBOX {20+}\r\n01234567890123456789\r\n".utf8)
        let seen = events(wire, chunk: 3, threshold: 10)
        #expect(seen.first == .literalStart(size: 20))
        #expect(!seen.contains(.continuationRequest))
        #expect(seen.last.map { if case .command = $0 { true } else { false } } == true)
    }
}
