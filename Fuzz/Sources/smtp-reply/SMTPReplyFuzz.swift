import FuzzSupport
import SMTPProtocol

/// `SMTPReplyParser` (the relay's side): the stream fed whole and in random chunks gives the
/// same replies and the same error; every reply's `encoded` form parses back to one reply with
/// the same code and line count, which then survives another round unchanged (RFC 5321 §4.2.1,
/// RFC 2034 §3).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPReply(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        let maxLineLength = choices.flip() ? SMTPDefaults.tolerantReplyLineLength : choices.next(6...200)
        let maxLines = choices.next(1...8)
        let whole = replies([bytes[...]], maxLineLength, maxLines)
        let chunked = replies(choices.chunks(bytes), maxLineLength, maxLines)
        Fuzz.require(whole == chunked, "chunked replies differ: \(whole) vs \(chunked)")
        for case .success(let reply) in whole {
            Fuzz.requireStableEncoding(
                reply, encode: \.encoded,
                parse: { wire in
                    let again = replies([wire[...]], Int.max, Int.max)
                    return if again.count == 1, case .success(let parsed) = again[0] { parsed } else { nil }
                }, same: { $0.code == $1.code && $0.lines.count == $1.lines.count })
        }
    }
}

/// The replies in `pieces`, ending with the error if there is one.
private func replies(_ pieces: [ArraySlice<UInt8>], _ maxLineLength: Int, _ maxLines: Int) -> [Result<SMTPReply, SMTPReplyParser.Error>] {
    var parser = SMTPReplyParser(maxLineLength: maxLineLength, maxLines: maxLines)
    return Fuzz.feedUntilError(
        &parser, pieces, append: { $0.append($1) }, next: { parser throws(SMTPReplyParser.Error) in try parser.next() })
}
