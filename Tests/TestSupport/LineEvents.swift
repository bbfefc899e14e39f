import LineFraming

/// What a `CRLFLineReader` (SMTP's and POP3's command line framing) makes of `input` fed in
/// pieces of `size`, and the bytes it still holds at the end.
public func lineEvents(_ input: [UInt8], chunk size: Int, max: Int) -> (events: [CRLFLineReader.Event], rest: [UInt8]) {
    var reader = CRLFLineReader(maxLineLength: max)
    var events: [CRLFLineReader.Event] = []
    for piece in input.chunks(of: size) {
        reader.append(piece)
        while let event = reader.next() { events.append(event) }
    }
    return (events, reader.takeBuffered())
}
