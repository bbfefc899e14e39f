import Foundation

/// Numbers for byte strings: equal bytes get the same number, numbers count up from 0 in the
/// order strings are first seen. THREAD compares message ids and subject keys only for
/// equality (RFC 5256 §3), so it works on these numbers; the bytes are kept in one arena and
/// hashed with FNV-1a, so interning 100,000 ids read from SQLite makes no `String` each.
public struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    /// Each number's bytes: start in `arena` and length.
    private var spans: [(start: Int, count: Int)] = []
    /// Open addressing, the size a power of two: 0 for an empty slot, else the number plus one
    /// in the low half and the hash's low 32 bits in the high half, so a probe compares hashes
    /// without reading another array (the table is larger than the caches).
    private var slots: [UInt64]
    /// log2 of the slots' count: a slot is the top bits of the mixed hash.
    private var bits: Int
    private var hashes: [UInt64] = []

    public init(capacity: Int = 16) {
        bits = 4
        while 1 << bits < capacity * 2 { bits += 1 }
        slots = Array(repeating: 0, count: 1 << bits)
        spans.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    public var count: Int { spans.count }

    /// FNV-1a, then mixed (multiplied by 2^64/φ) so that the top bits depend on every byte.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash &* 0x9E37_79B9_7F4A_7C15
    }

    /// The number of `bytes`, a new one when they were not seen before.
    public mutating func number(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let hash = Self.hash(bytes)
        let tag = hash << 32
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
        while true {
            let held = slots[slot]
            if held == 0 { break }
            if held & 0xFFFF_FFFF_0000_0000 == tag {
                let number = Int(truncatingIfNeeded: held & 0xFFFF_FFFF) - 1
                if equal(number, bytes) { return Int32(number) }
            }
            slot = (slot + 1) & mask
        }
        let number = spans.count
        spans.append((arena.count, bytes.count))
        hashes.append(hash)
        if let base = bytes.baseAddress {
            arena.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        }
        slots[slot] = tag | UInt64(number + 1)
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
        bits += 1
        slots = Array(repeating: 0, count: 1 << bits)
        let mask = slots.count - 1
        for (number, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash >> UInt64(64 - bits))
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = hash << 32 | UInt64(number + 1)
        }
    }

}
