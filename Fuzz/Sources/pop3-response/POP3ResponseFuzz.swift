import FuzzSupport
import POP3Protocol

/// `POP3ResponseParser` (the client side) and `MultilineEncoder`: the stream fed whole and in
/// random chunks gives the same events (body pieces joined); a status line's `encoded` form
/// parses back to one line with the same status, which then survives another round unchanged;
/// and any bytes sent as a body through `MultilineEncoder` come back from the parser unstuffed,
/// line ends made CRLF (RFC 1939 §3).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPOP3Response(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        let maxLineLength = choices.flip() ? POP3Defaults.tolerantResponseLineLength : choices.next(8...200)
        let multiline = (0..<8).map { _ in choices.flip() }  // which status lines start a body
        let whole = events([bytes[...]], maxLineLength, multiline)
        Fuzz.require(whole == events(choices.chunks(bytes), maxLineLength, multiline), "chunked events differ")
        for case .success(.status(let response)) in whole {
            Fuzz.requireStableEncoding(
                response, encode: \.encoded,
                parse: { wire in
                    let again = events([wire[...]], Int.max, [false])
                    return if again.count == 1, case .success(.status(let parsed)) = again[0] { parsed } else { nil }
                }, same: { $0.status == $1.status })
        }
        let wire = Array("+OK\r\n".utf8) + MultilineEncoder.encode(message: bytes)
        let body = crlfLines(bytes)
        let expected: [Result<POP3ResponseParser.Event, POP3ResponseParser.Error>] =
            (body.isEmpty ? [] : [.success(.body(body))]) + [.success(.end)]
        Fuzz.require(Array(events([wire[...]], Int.max, [true]).dropFirst()) == expected, "the body did not come back")
    }
}

/// The events of `pieces`, consecutive body pieces joined, ending with the error if any.
private func events(
    _ pieces: [ArraySlice<UInt8>], _ maxLineLength: Int, _ multiline: [Bool]
) -> [Result<POP3ResponseParser.Event, POP3ResponseParser.Error>] {
    var parser = POP3ResponseParser(maxLineLength: maxLineLength)
    var statusCount = 0
    let events = Fuzz.feedUntilError(&parser, pieces, append: { $0.append($1) }) { parser throws(POP3ResponseParser.Error) in
        let event = try parser.next(expecting: multiline[statusCount % multiline.count] ? .multiline : .singleLine)
        if case .status = event { statusCount += 1 }
        return event
    }
    return Fuzz.joined(events) {
        if case .success(.body(let first)) = $0, case .success(.body(let second)) = $1 { .success(.body(first + second)) } else { nil }
    }
}

/// `bytes` with every line end (CRLF, bare CR, bare LF) made CRLF and a final CRLF added.
private func crlfLines(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == 0x0D, index < bytes.count, bytes[index] == 0x0A { index += 1 }
        out += byte == 0x0D || byte == 0x0A ? [0x0D, 0x0A] : [byte]
    }
    if !out.isEmpty, out.last != 0x0A { out += [0x0D, 0x0A] }
    return out
}
