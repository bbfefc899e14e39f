import FuzzSupport
import POP3Protocol

/// `POP3CommandParser`, one command per input line: a parsed command's `line` holds no CR,
/// LF or NUL and parses back to the same command (RFC 1939 §3, RFC 2449 §3).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPOP3Command(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Fuzz.run(data, size) { bytes in
        for line in Fuzz.lines(bytes) {
            guard case .success(let command) = POP3CommandParser.parse(line: line) else { continue }
            Fuzz.requireCommandLine(command.line, parse: POP3CommandParser.parse, expected: command)
        }
    }
}
