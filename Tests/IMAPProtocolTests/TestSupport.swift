import IMAPProtocol
import TestSupport
import Testing

/// All events from feeding `wire` in chunks of `size`.
func frame(_ wire: [UInt8], chunk size: Int = Int.max, reader: IMAPCommandReader = IMAPCommandReader()) -> [IMAPCommandReader.Event] {
    var reader = reader
    var events: [IMAPCommandReader.Event] = []
    for chunk in wire.chunks(of: size) {
        reader.append(chunk)
        while let event = reader.next() { events.append(event) }
    }
    return events
}

/// The commands among `events`.
func commands(_ events: [IMAPCommandReader.Event]) -> [IMAPFramedCommand] {
    events.compactMap { if case .command(let c) = $0 { c } else { nil } }
}

/// Frames and parses a command given as wire text (CRLFs written out).
func parseWire(_ wire: String, utf8Enabled: Bool = false) -> Result<IMAPCommand, IMAPSyntaxError>? {
    guard let framed = commands(frame(bytes(wire))).first else { return nil }
    return IMAPCommandParser(utf8Enabled: utf8Enabled).parse(framed)
}

/// A sequence set from its text, for fixtures (`"1:3,7"`, `"$"`).
func set(_ text: String) -> SequenceSet {
    guard let set = try? SequenceSet(parsing: text) else { preconditionFailure("bad sequence set \(text)") }
    return set
}

/// Parses one line (no literals).
func parse(_ line: String, utf8Enabled: Bool = false) -> Result<IMAPCommand, IMAPSyntaxError> {
    IMAPCommandParser(utf8Enabled: utf8Enabled).parse(line)
}

/// The error kind of a failed parse, nil on success.
func errorKind(_ line: String) -> IMAPSyntaxError.Kind? {
    if case .failure(let error) = parse(line) { return error.kind }
    return nil
}

/// Frames `wire` fed in pieces of `chunk` bytes and parses every command framed.
func parseStream(_ wire: [UInt8], chunk: Int = Int.max, utf8Enabled: Bool = false) -> [Result<IMAPCommand, IMAPSyntaxError>] {
    commands(frame(wire, chunk: chunk)).map { IMAPCommandParser(utf8Enabled: utf8Enabled).parse($0) }
}

/// Frames and parses a command given as bytes (CRLFs included); nil if no command was framed.
func parseWire(_ wire: [UInt8]) -> Result<IMAPCommand, IMAPSyntaxError>? { parseStream(wire).first }

/// `command` encoded in both literal styles, framed in chunks of 1, 3 and all bytes, and
/// parsed gives back `command`; `line`, if given, is what it must encode to.
func expectRoundTrip(_ command: IMAPCommand, encodesTo line: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    if let line { #expect(text(command.encoded()) == line + "\r\n", sourceLocation: sourceLocation) }
    for style in [IMAPLiteralStyle.synchronizing, .nonSynchronizing] {
        let wire = command.encoded(style: style)
        for size in [1, 3, Int.max] {
            #expect(
                parseStream(wire, chunk: size) == [.success(command)], "\(text(wire).debugDescription) chunk \(size)",
                sourceLocation: sourceLocation)
        }
    }
}

/// A client's command line (no literals) and the command it must parse to.
struct Transcript: Sendable, CustomTestStringConvertible {
    var line: String
    var command: IMAPCommand
    init(_ line: String, _ command: IMAPCommand) {
        self.line = line
        self.command = command
    }
    var testDescription: String { line }
}
