import Logging
import NIOCore
import Testing

@testable import ServiceKit

/// `LineSession` as a client would run it: it hears how the connection ended (its calls get
/// `ended: …`), and its silence also counts from its own last write.
struct ClientLineSession: DrivenSession {
    var inner = LineSession()

    static func step(_ action: LineSession.Action) -> DriverStep<LineSession.Action> { LineSession.step(action) }
    mutating func start() -> [LineSession.Action] { inner.start() }
    mutating func receive(_ bytes: [UInt8]) -> [LineSession.Action] { inner.receive(bytes) }
    mutating func resume(_ answer: String) -> [LineSession.Action] { inner.resume(answer) }
    mutating func tlsEstablished() -> [LineSession.Action] { inner.tlsEstablished() }
    mutating func timedOut() -> [LineSession.Action] { inner.timedOut() }
    mutating func shutdown() -> [LineSession.Action] { inner.shutdown() }
    var inactivityTimeout: Duration { inner.inactivityTimeout }
    var isAuthenticated: Bool { true }

    /// A write here must be dropped; the call must be made.
    mutating func connectionEnded(_ error: (any Error)?) -> [LineSession.Action] {
        [.write("too late\r\n"), .ask("ended: \(error.map { "\($0)" } ?? "closed")")]
    }
    static var timeoutCountsFromWrites: Bool { true }
}

@Suite("Session driver: the end of a connection, and clients")
struct SessionDriverEndingTests {
    func makeClientDriver(_ clock: ManualClock, calls: EchoCalls) -> SessionDriver<ClientLineSession, EchoCalls, ManualClock> {
        SessionDriver(session: ClientLineSession(), calls: calls, clock: clock, logger: Logger(label: "test"))
    }

    @Test("The peer going away is told to the session; its calls run before finished(), its writes are dropped")
    func peerClosed() async {
        let clock = ManualClock(), output = RecordingOutput(), calls = EchoCalls()
        var driver = makeClientDriver(clock, calls: calls)
        let (events, continuation) = AsyncStream<DriverEvent>.makeStream()
        continuation.yield(input("ECHO a\r\n"))
        continuation.finish()
        await driver.run(events, output: output)
        #expect(calls.record.asked.withLock { $0 } == ["ended: closed"])
        #expect(output.sent == "hello\r\na\r\n")
        #expect(calls.record.finished.withLock { $0 })
    }

    @Test("A failing stream (a TLS or I/O error) hands the error to the session")
    func streamFails() async {
        let clock = ManualClock(), output = RecordingOutput(), calls = EchoCalls()
        var driver = makeClientDriver(clock, calls: calls)
        let (events, continuation) = AsyncThrowingStream<DriverEvent, any Error>.makeStream()
        continuation.yield(input("ECHO a\r\n"))
        continuation.finish(throwing: ChannelError.connectTimeout(.seconds(1)))
        await driver.run(events, output: output)
        #expect(calls.record.asked.withLock { $0 } == ["ended: \(ChannelError.connectTimeout(.seconds(1)))"])
    }

    @Test("A write that fails ends the connection, and the session hears the error")
    func writeFails() async {
        let clock = ManualClock(), output = RecordingOutput(), calls = EchoCalls()
        var driver = makeClientDriver(clock, calls: calls)
        let (events, continuation) = AsyncStream<DriverEvent>.makeStream()
        output.failWrites()
        continuation.yield(input("ECHO a\r\n"))
        continuation.yield(input("ECHO never read\r\n"))
        await driver.run(events, output: output)
        #expect(calls.record.asked.withLock { $0 } == ["ended: \(ChannelError.ioOnClosedChannel)"])
        #expect(output.events == [.close])
    }

    @Test("A session that closed the connection itself is not told again")
    func sessionClosed() async {
        let clock = ManualClock(), output = RecordingOutput(), calls = EchoCalls()
        var driver = makeClientDriver(clock, calls: calls)
        let (events, continuation) = AsyncStream<DriverEvent>.makeStream()
        continuation.yield(input("QUIT\r\n"))
        await driver.run(events, output: output)
        #expect(calls.record.asked.withLock { $0 }.isEmpty)
        #expect(output.sent == "hello\r\nbye\r\n")
    }

    @Test("A server session ignores the end (the default), as before")
    func serverDefault() async {
        let clock = ManualClock(), output = RecordingOutput(), calls = EchoCalls()
        var driver = makeDriver(clock, calls: calls)
        let (events, continuation) = AsyncStream<DriverEvent>.makeStream()
        continuation.finish()
        await driver.run(events, output: output)
        #expect(calls.record.asked.withLock { $0 }.isEmpty)
        #expect(calls.record.finished.withLock { $0 })
    }

    @Test("timeoutCountsFromWrites: a client's silence counts from its last write too (EHLO after the TLS handshake)")
    func silenceFromWrites() async {
        let clock = ManualClock()
        // The handshake takes 50 s; the session writes when it ends; 20 s later is within 60 s.
        let clientOutput = RecordingOutput()
        var client = makeClientDriver(clock, calls: EchoCalls())
        await client.handle(input("TLS\r\n"), clientOutput)
        clock.advance(by: .seconds(50))
        await client.handle(.tlsBoundary, clientOutput)
        await client.handle(.tlsEstablished, clientOutput)
        clock.advance(by: .seconds(20))
        await client.handle(.tick, clientOutput)
        #expect(!clientOutput.events.contains(.close))
        clock.advance(by: .seconds(41))
        await client.handle(.tick, clientOutput)
        #expect(clientOutput.events.last == .close)

        // A server's (the default) counts from the peer's last input only.
        let serverOutput = RecordingOutput()
        var server = makeDriver(clock)
        await server.handle(input("TLS\r\n"), serverOutput)
        clock.advance(by: .seconds(50))
        await server.handle(.tlsBoundary, serverOutput)
        await server.handle(.tlsEstablished, serverOutput)
        clock.advance(by: .seconds(20))
        await server.handle(.tick, serverOutput)
        #expect(serverOutput.events.last == .close)
    }

    @Test("A call's answer restarts a client's clock too (the next message on a kept connection)")
    func callAnswerRestarts() async {
        let clock = ManualClock(), output = RecordingOutput()
        var client = makeClientDriver(clock, calls: EchoCalls())
        clock.advance(by: .seconds(59))
        await client.handle(input("ASK x\r\n"), output)
        clock.advance(by: .seconds(59))
        await client.handle(.tick, output)
        #expect(!output.events.contains(.close))
    }
}
