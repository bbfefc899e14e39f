import FuzzSupport
import IMAPProtocol

/// `IMAPCommandParser` on the commands `IMAPCommandReader` frames from the input: a parsed
/// command, encoded with synchronizing and with non-synchronizing literals, frames and parses
/// back to the same command (RFC 9051 §9, RFC 7888; UTF8=ACCEPT mailbox names, RFC 6855 §3,
/// when the input's hash says so).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIMAPCommand(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        var choices = Choices(bytes)
        let parser = IMAPCommandParser(utf8Enabled: choices.flip())
        for framed in commands(bytes) {
            guard case .success(let command) = parser.parse(framed) else { continue }
            // CATENATE's URLs (RFC 4469, RFC 5092): the URL parser takes any text without trapping.
            if case .multiAppend(_, let messages) = command.kind {
                for case .url(let url) in messages.flatMap({ $0.catenate ?? [] }) { _ = IMAPURL(url) }
            }
            for style in [IMAPLiteralStyle.synchronizing, .nonSynchronizing] {
                let wire = command.encoded(utf8Enabled: parser.utf8Enabled, style: style)
                let again = commands(wire).map { parser.parse($0) }
                Fuzz.require(
                    again == [.success(command)],
                    "\(command) encodes to \(String(decoding: wire, as: UTF8.self).debugDescription), which parses to \(again)")
            }
        }
    }
}

private func commands(_ bytes: [UInt8]) -> [IMAPFramedCommand] {
    var reader = IMAPCommandReader()
    return Fuzz.feed(&reader, [bytes[...]], append: { $0.append($1) }, next: { $0.next() }).compactMap {
        if case .command(let command) = $0 { command } else { nil }
    }
}
