#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// What every fuzz target shares: the input as bytes, invariant checks that crash (so
/// libFuzzer keeps the input as a crash file), and choices drawn from the input — chunk
/// sizes, limits — so a crash replays exactly from its file.
public enum Fuzz {
    /// Calls `body` with the input; the return value is libFuzzer's "keep going".
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, _ body: ([UInt8]) -> Void) -> Int32 {
        body(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    /// Stops the run when an invariant fails; libFuzzer writes the input to `crash-<sha1>`.
    /// abort() rather than fatalError, whose backtracer trips over AddressSanitizer.
    public static func require(
        _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
    ) {
        guard !condition else { return }
        var text = "\(file):\(line): invariant failed: \(message())\n"
        _ = text.withUTF8 { write(2, $0.baseAddress, $0.count) }
        abort()
    }

    /// Checks that a value sent and read back (`encode`, then `parse`) comes back as one that
    /// survives the next round unchanged and keeps what `same` compares: encoders may normalise
    /// once (control characters to spaces, `2.0.00` to `2.0.0`), never drift.
    public static func requireStableEncoding<Value: Equatable>(
        _ value: Value, encode: (Value) -> [UInt8], parse: ([UInt8]) -> Value?, same: (Value, Value) -> Bool,
        file: StaticString = #fileID, line: UInt = #line
    ) {
        let once = parse(encode(value))
        require(once.map { same($0, value) } ?? false, "\(value) reads back as \(String(describing: once))", file: file, line: line)
        guard let once else { return }
        let twice = parse(encode(once))
        require(twice == once, "\(once) reads back as \(String(describing: twice))", file: file, line: line)
    }

    /// Feeds `pieces` to a streaming reader, taking events out after each piece until `next`
    /// returns nil.
    public static func feed<Reader, Event>(
        _ reader: inout Reader, _ pieces: [ArraySlice<UInt8>],
        append: (inout Reader, ArraySlice<UInt8>) -> Void, next: (inout Reader) -> Event?
    ) -> [Event] {
        var events: [Event] = []
        for piece in pieces {
            append(&reader, piece)
            while let event = next(&reader) { events.append(event) }
        }
        return events
    }

    /// Like `feed`, for a reader that throws and then refuses everything: the events, then the error.
    public static func feedUntilError<Reader, Event, Failure: Error>(
        _ reader: inout Reader, _ pieces: [ArraySlice<UInt8>],
        append: (inout Reader, ArraySlice<UInt8>) -> Void, next: (inout Reader) throws(Failure) -> Event?
    ) -> [Result<Event, Failure>] {
        var failed = false
        return feed(&reader, pieces, append: append) { reader -> Result<Event, Failure>? in
            guard !failed else { return nil }
            do throws(Failure) {
                return try next(&reader).map { .success($0) }
            } catch {
                failed = true
                return .failure(error)
            }
        }
    }

    /// `events` with neighbours that `merge` combines (pieces of one body, one literal) joined.
    public static func joined<Event>(_ events: [Event], _ merge: (Event, Event) -> Event?) -> [Event] {
        var out: [Event] = []
        for event in events {
            if let last = out.last, let both = merge(last, event) { out[out.count - 1] = both } else { out.append(event) }
        }
        return out
    }

    /// A command line as a client writes it holds no CR, LF or NUL (a second command could hide
    /// behind one; RFC 5321 §2.3.8, RFC 1939 §3) and reads back as `expected`.
    public static func requireCommandLine<Value: Equatable, Failure: Error & Equatable>(
        _ line: String, parse: (String) -> Result<Value, Failure>, expected: Value, file: StaticString = #fileID, line number: UInt = #line
    ) {
        require(
            !line.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }, "line break in \(line.debugDescription)", file: file, line: number)
        let again = parse(line)
        require(again == .success(expected), "\(line.debugDescription) parses to \(again), not \(expected)", file: file, line: number)
    }

    /// The lines of `bytes` split at LF, a CR before the LF dropped: what a line reader gives.
    public static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { $0.last == 0x0D ? $0.dropLast() : $0 }
    }
}

/// Deterministic choices seeded by the input's hash (FNV-1a into SplitMix64).
public struct Choices {
    private var state: UInt64

    public init(_ bytes: [UInt8]) {
        state = bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// A number in `range`.
    public mutating func next(_ range: ClosedRange<Int>) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return range.lowerBound + Int(z % UInt64(range.count))
    }

    /// A coin toss.
    public mutating func flip() -> Bool { next(0...1) == 1 }

    /// `bytes` in pieces of 1…`maxChunk` octets.
    public mutating func chunks(_ bytes: [UInt8], maxChunk: Int = 64) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + next(1...maxChunk))
            pieces.append(bytes[start..<end])
            start = end
        }
        return pieces
    }
}
