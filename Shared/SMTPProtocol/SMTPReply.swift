import LineFraming

/// A server reply, RFC 5321 §4.2: a three-digit code, and one or more text lines,
/// each prefixed with the enhanced status code when there is one (RFC 2034 §3).
///
/// ```
/// S: 250-mx.example.org Hello
/// S: 250-PIPELINING
/// S: 250 SIZE 26214400
/// ```
/// ```
/// Reply-line = *( Reply-code "-" [ textstring ] CRLF )
///              Reply-code [ SP textstring ] CRLF
/// ```
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// 200–599. RFC 5321 §4.2.1.
    public var code: Int
    /// The RFC 3463 code every line starts with; nil for replies that carry none
    /// (the 220 greeting, EHLO's 250 list, 334 challenges; RFC 2034 §3).
    public var enhancedCode: EnhancedStatusCode?
    /// The text lines without code or enhanced code; at least one (maybe empty).
    public var lines: [String]

    public init(code: Int, enhancedCode: EnhancedStatusCode? = nil, lines: [String]) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines.isEmpty ? [""] : lines
    }

    public init(_ code: Int, _ enhancedCode: EnhancedStatusCode? = nil, _ text: String) {
        self.init(code: code, enhancedCode: enhancedCode, lines: [text])
    }

    /// 2yz: the command succeeded. RFC 5321 §4.2.1.
    public var isPositiveCompletion: Bool { code / 100 == 2 }
    /// 3yz: send more (354 after DATA, 334 during AUTH). RFC 5321 §4.2.1.
    public var isPositiveIntermediate: Bool { code / 100 == 3 }
    /// 4yz: try again later. RFC 5321 §4.2.1.
    public var isTransientNegative: Bool { code / 100 == 4 }
    /// 5yz: do not repeat this. RFC 5321 §4.2.1.
    public var isPermanentNegative: Bool { code / 100 == 5 }

    /// The text lines joined by a space, for logs and DSNs.
    public var text: String { lines.joined(separator: " ") }

    /// The reply on the wire: every line but the last as `code-`, the last as
    /// `code SP` (RFC 5321 §4.2.1; the SP stays even before empty text, which RFC 4954 §4
    /// requires of an empty `334 ` challenge), each ending in CRLF. CR, LF and NUL in the text
    /// become spaces, so text from elsewhere can never end a line early.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        let codeBytes = Array(String(code).utf8)
        let prefix = enhancedCode.map { Array("\($0) ".utf8) } ?? []
        for (index, line) in lines.enumerated() {
            out += codeBytes
            out.append(index == lines.count - 1 ? ByteClass.space : ByteClass.hyphen)  // RFC 5321 §4.2.1
            out += prefix
            for byte in line.utf8 {
                out.append(byte == ByteClass.cr || byte == ByteClass.lf || byte == 0 ? ByteClass.space : byte)
            }
            out += [ByteClass.cr, ByteClass.lf]
        }
        return out
    }

    public var description: String {
        let prefix = enhancedCode.map { "\($0) " } ?? ""
        return "\(code) \(prefix)\(text)"
    }
}
