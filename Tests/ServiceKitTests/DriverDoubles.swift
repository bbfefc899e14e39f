import Logging
import NIOCore
import Synchronization

@testable import ServiceKit

/// A clock that moves only when the test says so.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }
    private let current = Mutex(Instant(offset: .zero))
    var now: Instant { current.withLock { $0 } }
    var minimumResolution: Duration { .nanoseconds(1) }
    func advance(by duration: Duration) { current.withLock { $0 = $0.advanced(by: duration) } }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline { await Task.yield() }
    }
}

/// Records what the driver did with its output, in order.
final class RecordingOutput: DriverOutput {
    enum Event: Equatable {
        case sent(String)
        case startTLS
        case close
    }
    private let state = Mutex<(pending: [UInt8], events: [Event], failWrites: Bool)>(([], [], false))

    var events: [Event] { state.withLock { $0.events } }
    /// Everything flushed, as text.
    var sent: String {
        events.compactMap { if case .sent(let s) = $0 { s } else { nil } }.joined()
    }
    func failWrites() { state.withLock { $0.failWrites = true } }

    func write(_ bytes: [UInt8]) { state.withLock { $0.pending += bytes } }

    func flush() async throws {
        try state.withLock { s in
            guard !s.failWrites else { throw ChannelError.ioOnClosedChannel }
            if !s.pending.isEmpty { s.events.append(.sent(String(decoding: s.pending, as: UTF8.self))) }
            s.pending = []
        }
    }

    func startTLS() async throws {
        try await flush()
        state.withLock { $0.events.append(.startTLS) }
    }

    func close() async {
        try? await flush()
        state.withLock { $0.events.append(.close) }
    }
}

/// A line protocol small enough to read at a glance: `ECHO x` answers `x`, `ASK x` asks the
/// calls and answers what they said, `TLS` starts TLS, `SEND x` streams `x` from the calls,
/// `DATA` receives content until `.`, `LOGIN` logs in, `QUIT` closes. A session waiting for a call reads no
/// further lines, as the real ones do.
struct LineSession: DrivenSession {
    enum Action: Sendable, Equatable {
        case write(String)
        case startTLS
        case close
        case ask(String)
        case send(String)
    }

    var buffer: [UInt8] = []
    var waiting = false
    var closed = false
    var inContent = false
    var tls = false
    var authenticated = false
    /// Contents received whole: the session's `progress`.
    var stored = 0
    var timeout: Duration = .seconds(60)

    static func step(_ action: Action) -> DriverStep<Action> {
        switch action {
        case .write(let text): return .write(Array(text.utf8))
        case .startTLS: return .startTLS
        case .close: return .close
        case .ask, .send: return .call(action)
        }
    }

    mutating func start() -> [Action] { [.write("hello\r\n")] }

    mutating func receive(_ bytes: [UInt8]) -> [Action] {
        buffer += bytes
        return process()
    }

    mutating func resume(_ answer: String) -> [Action] {
        waiting = false
        return [.write("\(answer)\r\n")] + process()
    }

    mutating func tlsEstablished() -> [Action] {
        tls = true
        return [.write("secure\r\n")]
    }

    mutating func timedOut() -> [Action] {
        closed = true
        return [.write("bye: timeout\r\n"), .close]
    }

    mutating func evicted() -> [Action] {
        closed = true
        return [.write("bye: full\r\n"), .close]
    }

    mutating func shutdown() -> [Action] {
        guard !waiting, !inContent, !closed else { return [] }
        closed = true
        return [.write("bye: shutdown\r\n"), .close]
    }

    var inactivityTimeout: Duration { timeout }
    var isAuthenticated: Bool { authenticated }
    var progress: Int { stored }
    var hasPartialCommand: Bool { !buffer.isEmpty && !inContent }
    var minimumDataRate: Int? { inContent ? 100 : nil }

    private mutating func process() -> [Action] {
        var actions: [Action] = []
        while !waiting, !closed, let lf = buffer.firstIndex(of: 0x0A) {
            let line = String(decoding: buffer[..<lf], as: UTF8.self).trimmingCharacters(in: .init(charactersIn: "\r"))
            buffer.removeSubrange(...lf)
            if inContent {
                if line == "." {
                    inContent = false
                    stored += 1
                    actions.append(.write("stored\r\n"))
                }
                continue
            }
            let (verb, argument) = line.split(separator: " ", maxSplits: 1).map(String.init).splitFirst()
            switch verb {
            case "ECHO": actions.append(.write("\(argument)\r\n"))
            case "ASK":
                waiting = true
                actions.append(.ask(argument))
            case "SEND":
                waiting = true
                actions.append(.send(argument))
            case "TLS":
                buffer = []  // plaintext after TLS is dropped here too (RFC 3207 §4.2)
                actions += [.write("go ahead\r\n"), .startTLS]
            case "LOGIN":
                authenticated = true
                actions.append(.write("welcome\r\n"))
            case "DATA":
                inContent = true
                actions.append(.write("go on\r\n"))
            case "QUIT":
                closed = true
                actions += [.write("bye\r\n"), .close]
            default: actions.append(.write("what?\r\n"))
            }
        }
        return actions
    }
}

extension Array where Element == String {
    fileprivate func splitFirst() -> (String, String) { (first ?? "", dropFirst().first ?? "") }
}

/// Answers `ASK x` with `x!`, writes `SEND x` itself, and remembers what it was asked.
struct EchoCalls: SessionCalls {
    /// What the calls saw, readable after the driver has taken the calls away.
    final class Record: Sendable {
        let asked = Mutex<[String]>([])
        let finished = Mutex(false)
    }
    let record = Record()
    var lostLockAfterTicks: Int?
    var ticks = 0
    /// Runs while a call is pending: a slow store, time moved on by the test.
    var whileAsking: (@Sendable () -> Void)?

    mutating func perform(_ action: LineSession.Action, output: any DriverOutput) async -> String? {
        switch action {
        case .ask(let question):
            // A call after `finished()` would be a driver bug: it shows in what was asked.
            let late = record.finished.withLock { $0 }
            record.asked.withLock { $0.append(late ? "after finished: \(question)" : question) }
            whileAsking?()
            return "\(question)!"
        case .send(let text):
            output.write(Array("\(text)\r\n".utf8))
            try? await output.flush()
            return "sent"
        default:
            return nil
        }
    }

    mutating func tick() async -> Bool {
        ticks += 1
        if let lostLockAfterTicks, ticks >= lostLockAfterTicks { return false }
        return true
    }

    mutating func finished() async { record.finished.withLock { $0 = true } }
}

typealias TestDriver = SessionDriver<LineSession, EchoCalls, ManualClock>

func makeDriver(
    _ clock: ManualClock, session: LineSession = LineSession(), calls: EchoCalls = EchoCalls(),
    deadlines: ConnectionDeadlines = .none, onAuthenticated: @escaping @Sendable () -> Void = {},
    onProgress: @escaping @Sendable () -> Void = {}
) -> TestDriver {
    SessionDriver(
        session: session, calls: calls, clock: clock, logger: Logger(label: "test"), deadlines: deadlines,
        onAuthenticated: onAuthenticated, onProgress: onProgress)
}

func input(_ text: String) -> DriverEvent { .input(ByteBuffer(string: text)) }
