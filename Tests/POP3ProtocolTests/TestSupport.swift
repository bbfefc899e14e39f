import POP3Protocol

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

/// The chunk sizes every incremental parser and encoder is fed with: every size from
/// 1 to 16 (so a CR/LF pair falls across every boundary), then 32 … 512, and all at once.
let chunkSizes = Array(1...16) + [32, 64, 128, 256, 512, Int.max]

extension Array where Element == UInt8 {
    /// The bytes in pieces of `size`.
    func chunks(of size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: count, by: Swift.max(1, Swift.min(size, count))).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Parses a command line given as text.
func parse(_ line: String) -> Result<POP3Command, POP3SyntaxError> { POP3CommandParser.parse(line: bytes(line)[...]) }

/// The error kind of a failed parse, nil on success.
func errorKind(_ line: String) -> POP3SyntaxError.Kind? {
    if case .failure(let error) = parse(line) { return error.kind }
    return nil
}
