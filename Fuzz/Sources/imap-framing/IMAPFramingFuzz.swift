import FuzzSupport
import IMAPProtocol

/// `IMAPCommandReader` with small, input-chosen limits (so refusals and skipped literals are
/// reached): the stream fed whole and in random chunks gives the same events (streamed literal
/// data joined); a framed command's `wire` frames back to the same command (RFC 9051 §4.3,
/// RFC 7888 §4).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIMAPFraming(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        var reader = IMAPCommandReader(
            maxLineLength: choices.next(IMAPDefaults.tagLength + 1...300), maxLiteralSize: choices.next(0...100),
            maxCommandSize: choices.next(0...400), maxLiterals: choices.next(0...4))
        if choices.flip() { reader.streamThreshold = choices.next(0...50) }
        let whole = events(reader, [bytes[...]])
        Fuzz.require(whole == events(reader, choices.chunks(bytes)), "chunked events differ")
        for case .command(let command) in whole where command.streamedLiterals.isEmpty {
            let again = events(reader, [command.wire[...]]).filter { $0 != .continuationRequest }
            Fuzz.require(again == [.command(command)], "\(command) frames back as \(again)")
        }
    }
}

/// The events of `pieces` from a copy of `reader`, consecutive literal data joined.
private func events(_ reader: IMAPCommandReader, _ pieces: [ArraySlice<UInt8>]) -> [IMAPCommandReader.Event] {
    var reader = reader
    return Fuzz.joined(Fuzz.feed(&reader, pieces, append: { $0.append($1) }, next: { $0.next() })) {
        if case .literalData(let first) = $0, case .literalData(let second) = $1 { .literalData(first + second) } else { nil }
    }
}
