import Foundation

/// Numbers for byte strings: equal bytes get the same number, numbers count up from 0 in the
/// order strings are first seen. THREAD compares message ids and subject keys only for
/// equality (RFC 5256 §3), so it works on these numbers; the bytes are kept in one arena and
/// hashed with FNV-1a, so interning 100,000 ids read from SQLite makes no `String` each.
public struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    /// Each number's bytes: start in `arena` and length.
    private var spans: [(start: Int, count: Int)] = []
    /// Open addressing: a number plus one, 0 for an empty slot; the size a power of two.
    private var slots: [Int32]
    private var hashes: [UInt64] = []

    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        spans.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    public var count: Int { spans.count }

    /// The number of `bytes`, a new one when they were not seen before.
    public mutating func number(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        while slots[slot] != 0 {
            let number = Int(slots[slot] - 1)
            if hashes[number] == hash, equal(number, bytes) { return Int32(number) }
            slot = (slot + 1) & mask
        }
        let number = spans.count
        spans.append((arena.count, bytes.count))
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        slots[slot] = Int32(number + 1)
        if spans.count * 2 > slots.count { grow() }
        return Int32(number)
    }

    public mutating func number(_ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { number(UnsafeRawBufferPointer($0)) }
    }

    /// The bytes of `number` as a string.
    public func string(_ number: Int32) -> String {
        let span = spans[Int(number)]
        return String(decoding: arena[span.start..<(span.start + span.count)], as: UTF8.self)
    }

    /// How many bytes `number` has.
    public func length(_ number: Int32) -> Int { spans[Int(number)].count }

    /// Calls `body` with the bytes of `number`.
    public func withBytes<T>(_ number: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let span = spans[Int(number)]
        return try arena.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[span.start..<(span.start + span.count)]))
        }
    }

    /// The bytes of `a` sort before those of `b` (octets, `i;octet`).
    public func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let x = spans[Int(a)], y = spans[Int(b)]
        return arena.withUnsafeBytes { all in
            let common = min(x.count, y.count)
            let order = common == 0 ? 0 : memcmp(all.baseAddress! + x.start, all.baseAddress! + y.start, common)
            return order != 0 ? order < 0 : x.count < y.count
        }
    }

    private func equal(_ number: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let span = spans[number]
        guard span.count == bytes.count else { return false }
        return arena.withUnsafeBytes { all in
            bytes.count == 0 || memcmp(all.baseAddress! + span.start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(number + 1)
        }
    }
}
