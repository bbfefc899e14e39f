import LineFraming

/// The header that announces a literal at the end of a line piece: how many octets follow
/// the CRLF, whether the client waits for `+` first, and whether they may hold NUL.
///
/// ```
/// literal         = "{" number64 ["+"] "}" CRLF *CHAR8      ; RFC 9051 §9, "+" RFC 7888 §3
/// literal8        = "~{" number64 ["+"] "}" CRLF *OCTET     ; RFC 3516 §4.2
/// ```
/// ```
/// C: a1 APPEND INBOX {310}      (synchronizing: S: + Ready)
/// C: a2 APPEND INBOX {310+}     (LITERAL+: the data follows at once)
/// C: a3 APPEND INBOX ~{310}     (BINARY: the data may hold NUL)
/// ```
public struct IMAPLiteralHeader: Sendable, Hashable {
    /// Octets announced; `Int.max` when the number does not fit (it is over any limit anyway).
    public var size: Int
    /// `{n}`: the client waits for a continuation request. RFC 9051 §4.3
    public var synchronizing: Bool
    /// `~{n}`: literal8, any octet allowed. RFC 3516 §4.2
    public var binary: Bool
    /// Where the header starts in its line piece (at `~` or `{`).
    public var start: Int

    public init(size: Int, synchronizing: Bool = true, binary: Bool = false, start: Int = 0) {
        self.size = size
        self.synchronizing = synchronizing
        self.binary = binary
        self.start = start
    }

    /// The header ending `line`, or nil if the line does not end in one.
    public static func atEnd<C: BidirectionalCollection>(of line: C) -> IMAPLiteralHeader?
    where C.Element == UInt8, C.Index == Int {
        guard var index = line.indices.last, line[index] == ByteClass.closeBrace else { return nil }
        var synchronizing = true
        if index > line.startIndex, line[index - 1] == ByteClass.plus {  // RFC 7888 §3
            synchronizing = false
            index -= 1
        }
        var digits = 0
        var value = 0
        var overflow = false
        while index > line.startIndex, ByteClass.isDigit(line[index - 1]) {
            index -= 1
            digits += 1
        }
        guard digits > 0, index > line.startIndex, line[index - 1] == ByteClass.openBrace else { return nil }
        for b in line[index..<(index + digits)] {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b - 0x30))
            if o1 || o2 { overflow = true; break }
            value = s
        }
        var start = index - 1
        let binary = start > line.startIndex && line[start - 1] == ByteClass.tilde  // RFC 3516 §4.2
        if binary { start -= 1 }
        return IMAPLiteralHeader(size: overflow ? Int.max : value, synchronizing: synchronizing, binary: binary, start: start)
    }

    /// The header as sent: `{5}`, `{5+}`, `~{5}`.
    public var encoded: [UInt8] {
        Array("\(binary ? "~" : ""){\(size)\(synchronizing ? "" : "+")}".utf8)
    }

    /// The tag at the start of a command line, if it is one. RFC 9051 §9 `tag`.
    static func tag(of line: [UInt8]) -> String? {
        let end = line.firstIndex(of: ByteClass.space) ?? line.endIndex
        guard end > 0, end <= IMAPDefaults.tagLength, line[..<end].allSatisfy(ByteClass.isTagChar) else { return nil }
        return String(decoding: line[..<end], as: UTF8.self)
    }
}
