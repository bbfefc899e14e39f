/// A small deterministic generator (SplitMix64) so property tests repeat exactly.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// `bytes` with a few random edits (`edits`, one to six by default), each replacing, removing
    /// or inserting a byte of `alphabet`, or with `repeats` also repeating a byte: input near the
    /// fixtures, for the robustness tests (CONVENTIONS.md §11).
    public mutating func mutated(
        _ bytes: [UInt8], alphabet: [UInt8], edits: ClosedRange<Int> = 1...6, repeats: Bool = false
    ) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: edits, using: &self) {
            let index = Int.random(in: 0...bytes.count, using: &self)
            let byte = alphabet.randomElement(using: &self)!
            switch Int.random(in: 0..<(repeats ? 4 : 3), using: &self) {
            case 0 where index < bytes.count: bytes[index] = byte
            case 1 where index < bytes.count: bytes.remove(at: index)
            case 2 where repeats && index < bytes.count: bytes.insert(bytes[index], at: index)  // a repeated byte
            default: bytes.insert(byte, at: index)
            }
        }
        return bytes
    }
}

extension SeededGenerator {
    /// `count` random bytes, each drawn from `alphabet` or from all 256 at even odds, so the
    /// bytes a grammar cares about come often.
    public mutating func noise(_ count: Int, favouring alphabet: [UInt8]) -> [UInt8] {
        (0..<count).map { _ in
            Bool.random(using: &self) ? alphabet.randomElement(using: &self)! : UInt8.random(in: 0...255, using: &self)
        }
    }
}
