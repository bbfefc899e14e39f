import POP3Protocol
import TestSupport

/// The chunk sizes every incremental parser and encoder is fed with: every size from
/// 1 to 16 (so a CR/LF pair falls across every boundary), then 32 … 512, and all at once.
let chunkSizes = Array(1...16) + [32, 64, 128, 256, 512, Int.max]

/// Parses a command line given as text.
func parse(_ line: String) -> Result<POP3Command, POP3SyntaxError> { POP3CommandParser.parse(line: bytes(line)[...]) }

/// The error kind of a failed parse, nil on success.
func errorKind(_ line: String) -> POP3SyntaxError.Kind? {
    if case .failure(let error) = parse(line) { return error.kind }
    return nil
}
