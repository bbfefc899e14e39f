import IMAPProtocol

/// A small deterministic generator (SplitMix64) so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The chunk sizes every incremental parser is fed with: 1, 2, 4 … 512, and all at once.
let chunkSizes = [1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512, Int.max]

extension Array where Element == UInt8 {
    /// The bytes in pieces of `size`.
    func chunks(of size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: count, by: Swift.max(1, Swift.min(size, count))).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

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

/// Parses one line (no literals).
func parse(_ line: String, utf8Enabled: Bool = false) -> Result<IMAPCommand, IMAPSyntaxError> {
    IMAPCommandParser(utf8Enabled: utf8Enabled).parse(line)
}

/// The error kind of a failed parse, nil on success.
func errorKind(_ line: String) -> IMAPSyntaxError.Kind? {
    if case .failure(let error) = parse(line) { return error.kind }
    return nil
}

func raw(_ text: String) -> [IMAPRawPiece] { [.text(bytes(text))] }
