// Bytes and text for the parser tests, and the pieces a stream arrives in.

/// The chunk sizes an incremental parser is fed with: 1, 2, 4 … 512, and all at once
/// (CONVENTIONS.md §11). A target that needs others declares its own `chunkSizes`.
public let chunkSizes = [1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512, Int.max]

extension Array where Element == UInt8 {
    /// The bytes in pieces of `size`.
    public func chunks(of size: Int) -> [ArraySlice<UInt8>] {
        stride(from: 0, to: count, by: Swift.max(1, Swift.min(size, count))).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

public func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }
public func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// A line as a client sends it: the text and CRLF.
public func wireLine(_ line: String) -> [UInt8] { Array((line + "\r\n").utf8) }

/// Lines joined by CRLF, without a final one.
public func crlfJoined(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }
