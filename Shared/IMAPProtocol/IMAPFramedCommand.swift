import LineFraming

/// One complete command as `IMAPCommandReader` framed it: its line pieces and the literals
/// between them, not yet parsed. `lines.count == literals.count + 1`; every line but the last
/// ends with the literal header (`{5}`, `{5+}`, `~{5}`) of the literal that follows it.
///
/// ```
/// C: a1 LOGIN {5}
/// S: + Ready
/// C: alice "secret"
/// ```
/// frames as `lines: ["a1 LOGIN {5}", " \"secret\""]`, `literals: ["alice"]`.
public struct IMAPFramedCommand: Sendable, Hashable {
    /// The line pieces, without CRLF.
    public var lines: [[UInt8]]
    /// The literal data, in order.
    public var literals: [[UInt8]]
    /// Literals the reader streamed (`IMAPCommandReader.streamThreshold`): empty here, their
    /// octets went out as `.literalData` events.
    public var streamedLiterals: [Int] = []

    public init(lines: [[UInt8]], literals: [[UInt8]] = []) {
        precondition(lines.count == literals.count + 1, "one more line than literals")
        self.lines = lines
        self.literals = literals
    }

    /// Bytes on the wire, line ends and literal data included.
    public var size: Int { lines.reduce(0) { $0 + $1.count + 2 } + literals.reduce(0) { $0 + $1.count } }

    /// The command as it was sent, CRLFs included: what `IMAPCommandReader` frames back to it.
    public var wire: [UInt8] {
        var out: [UInt8] = []
        for (index, line) in lines.enumerated() {
            out += line + [ByteClass.cr, ByteClass.lf]
            if index < literals.count { out += literals[index] }
        }
        return out
    }

    /// The tag, if the first line starts with one (for answering a command that fails to parse).
    public var tag: String? { IMAPLiteralHeader.tag(of: lines[0]) }
}
