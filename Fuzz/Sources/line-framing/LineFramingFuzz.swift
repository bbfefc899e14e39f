import FuzzSupport
import LineFraming

/// `CRLFLineReader` (SMTP and POP3 command lines): the stream fed whole and in random chunks
/// gives the same events and the same buffered rest; no line holds an LF or exceeds the limit;
/// without `.tooLong` the lines, their line ends and the buffered rest give back the input.
/// The limit changes between lines, as during AUTH (RFC 4954 §4, RFC 5034 §4).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLineFraming(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        let limits = [choices.next(3...40), choices.next(3...600), 512]
        func frame(_ pieces: [ArraySlice<UInt8>]) -> (events: [CRLFLineReader.Event], rest: [UInt8]) {
            var reader = CRLFLineReader(maxLineLength: limits[0])
            var count = 0
            let events = Fuzz.feed(&reader, pieces, append: { $0.append($1) }) { reader -> CRLFLineReader.Event? in
                guard let event = reader.next() else { return nil }
                if case .line(let line, _) = event {
                    Fuzz.require(!line.contains(0x0A) && line.count + 2 <= reader.maxLineLength, "line over the limit")
                }
                count += 1
                reader.maxLineLength = limits[count % limits.count]
                return event
            }
            return (events, reader.takeBuffered())
        }
        let whole = frame([bytes[...]])
        let chunked = frame(choices.chunks(bytes))
        Fuzz.require(whole.events == chunked.events, "chunked framing differs")
        Fuzz.require(whole.rest == chunked.rest, "chunked rest differs")
        var rebuilt: [UInt8] = []
        for event in whole.events {
            guard case .line(let line, let bareLF) = event else { return }
            rebuilt += line + (bareLF ? [0x0A] : [0x0D, 0x0A])
        }
        // A partial line over the limit is dropped; anything else is given back.
        rebuilt += whole.rest
        Fuzz.require(whole.rest.isEmpty ? bytes.starts(with: rebuilt) : rebuilt == bytes, "framing lost bytes")
    }
}
