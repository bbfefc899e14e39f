import Foundation
import LineFraming

/// Byte-level helpers shared by the header and multipart scanners.
///
/// They work on an `UnsafeBufferPointer` the parser holds for the duration of one
/// `parse`, and every search is bounded by an explicit `to:`, so no scanner can
/// read outside the range it was given.
/// The bytes they look for are `LineFraming.ByteClass`'s.
enum ByteScan {
    @inline(__always)
    static func isWSP(_ byte: UInt8) -> Bool { byte == ByteClass.space || byte == ByteClass.tab }

    /// The index of the first `byte` in `buffer[from..<to]`, using memchr.
    static func index(
        of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int
    ) -> Int? {
        let upper = min(to, buffer.count)
        guard from >= 0, from < upper, let base = buffer.baseAddress else { return nil }
        guard let found = memchr(base + from, Int32(byte), upper - from) else { return nil }
        return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// Number of text lines in a range: LF count, plus one for a final line
    /// without a line break (what IMAP body-fld-lines reports, RFC 3501 §7.4.2).
    static func lineCount(in buffer: UnsafeBufferPointer<UInt8>, range: ByteRange) -> Int {
        guard range.length > 0 else { return 0 }
        var count = 0
        var position = range.offset
        let end = min(range.end, buffer.count)
        while let found = index(of: ByteClass.lf, in: buffer, from: position, to: end) {
            count += 1
            position = found + 1
        }
        if position < end { count += 1 }
        return count
    }

    /// ASCII lower-casing that leaves other bytes alone (header names are ASCII).
    static func asciiLowercased(_ string: String) -> String {
        String(decoding: string.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The string with leading and trailing SP, HT, CR and LF removed.
    static func trimmed(_ string: String) -> String {
        let bytes = Array(string.utf8)
        var lower = 0
        var upper = bytes.count
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        if lower == 0 && upper == bytes.count { return string }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == ByteClass.space || byte == ByteClass.tab || byte == ByteClass.cr || byte == ByteClass.lf
    }
}
