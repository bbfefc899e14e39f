import NIOCore
import Testing

@testable import ServiceKit

/// The shared driver without sockets: events in, what reached the output checked, time moved
/// by hand.
@Suite("Session driver")
struct SessionDriverTests {
    @Test("Replies go out in command order, a call's answer before the commands after it")
    func callsKeepOrder() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.start(output)
        await driver.handle(input("ECHO a\r\nASK b\r\nECHO c\r\n"), output)
        #expect(output.sent == "hello\r\na\r\nb!\r\nc\r\n")
        // What came before the call was flushed before the driver waited on it.
        #expect(output.events == [.sent("hello\r\n"), .sent("a\r\n"), .sent("b!\r\nc\r\n")])
    }

    @Test("Calls may write to the peer themselves (a POP3 message streamed from the store)")
    func callsWrite() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.handle(input("SEND body\r\nECHO after\r\n"), output)
        #expect(output.sent == "body\r\nsent\r\nafter\r\n")
    }

    @Test("Silence past the session's timeout ends the connection with the session's words")
    func silence() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.handle(input("ECHO a\r\n"), output)
        clock.advance(by: .seconds(59))
        await driver.handle(.tick, output)
        #expect(!output.events.contains(.close))
        clock.advance(by: .seconds(2))
        await driver.handle(.tick, output)
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
        #expect(output.events.last == .close)
    }

    @Test("A call that takes longer than the timeout is not the peer's silence (a store retried across its restart)")
    func slowCallIsNotSilence() async {
        let clock = ManualClock(), output = RecordingOutput()
        var calls = EchoCalls()
        calls.whileAsking = { clock.advance(by: .seconds(90)) }
        var driver = makeDriver(clock, calls: calls)
        await driver.handle(input("ASK slow\r\n"), output)
        await driver.handle(.tick, output)
        #expect(output.sent.hasSuffix("slow!\r\n"))
        #expect(!output.events.contains(.close))
        // The peer's own silence counts from the answer.
        clock.advance(by: .seconds(61))
        await driver.handle(.tick, output)
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
    }

    @Test("Input resets the silence clock")
    func inputResets() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        for _ in 0..<5 {
            clock.advance(by: .seconds(40))
            await driver.handle(input("ECHO x\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(!output.events.contains(.close))
    }

    @Test("A command line trickled a byte at a time still has to end within the timeout")
    func trickledLine() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        for byte in "ECHO never ends" {
            clock.advance(by: .seconds(5))
            await driver.handle(input(String(byte)), output)
            await driver.handle(.tick, output)
        }
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
    }

    @Test("Content arriving slower than the session's floor is cut off once past the timeout")
    func dataRate() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.handle(input("DATA\r\n"), output)
        // 50 bytes every 5 s is 10 bytes a second; the floor is 100, checked past 60 s.
        for _ in 0..<11 {
            clock.advance(by: .seconds(5))
            await driver.handle(input(String(repeating: "x", count: 48) + "\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(!output.events.contains(.close))
        for _ in 0..<3 {
            clock.advance(by: .seconds(5))
            await driver.handle(input(String(repeating: "x", count: 48) + "\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(output.events.contains(.close))
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
    }

    @Test("Content at a good rate is never cut off, however long it takes")
    func dataRateKept() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.handle(input("DATA\r\n"), output)
        for _ in 0..<30 {
            clock.advance(by: .seconds(5))
            await driver.handle(input(String(repeating: "x", count: 998) + "\r\n"), output)
            await driver.handle(.tick, output)
        }
        await driver.handle(input(".\r\n"), output)
        #expect(!output.events.contains(.close))
        #expect(output.sent.hasSuffix("stored\r\n"))
    }

    @Test("After STARTTLS, what was read before TLS was in place is dropped (CVE-2011-0411)")
    func startTLSDropsPlaintext() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        // The injected command in the same packet is dropped by the session; one in a later
        // read, still in the clear, by the driver.
        await driver.handle(input("TLS\r\nECHO injected1\r\n"), output)
        await driver.handle(input("ECHO injected2\r\n"), output)
        await driver.handle(.tlsBoundary, output)
        await driver.handle(.tlsEstablished, output)
        await driver.handle(input("ECHO real\r\n"), output)
        #expect(output.events == [.sent("go ahead\r\n"), .startTLS, .sent("secure\r\n"), .sent("real\r\n")])
    }

    @Test("Shutdown: an idle session says goodbye at once")
    func shutdownIdle() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.handle(.shutdown, output)
        #expect(output.sent == "bye: shutdown\r\n")
        #expect(output.events.last == .close)
    }

    @Test("Shutdown: a session receiving content finishes it first, then says goodbye")
    func shutdownBusy() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        await driver.handle(input("DATA\r\nline\r\n"), output)
        await driver.handle(.shutdown, output)
        #expect(!output.events.contains(.close))
        await driver.handle(input(".\r\n"), output)
        #expect(output.sent.hasSuffix("stored\r\nbye: shutdown\r\n"))
        #expect(output.events.last == .close)
    }

    @Test("A call that says the connection is lost (tick false) closes it")
    func tickEnds() async {
        let clock = ManualClock(), output = RecordingOutput()
        var calls = EchoCalls()
        calls.lostLockAfterTicks = 3
        var driver = makeDriver(clock, calls: calls)
        for _ in 0..<2 { await driver.handle(.tick, output) }
        #expect(!output.events.contains(.close))
        await driver.handle(.tick, output)
        #expect(output.events.last == .close)
    }

    @Test("A write the peer does not take closes the connection")
    func writeFails() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        output.failWrites()
        await driver.handle(input("ECHO a\r\n"), output)
        #expect(output.events == [.close])
        // Nothing more is read after the close.
        await driver.handle(input("ASK b\r\n"), output)
        #expect(output.events == [.close])
    }

    @Test("A call after a write that failed is still performed: a decided outcome is never dropped")
    func callAfterFailedWrite() async {
        let clock = ManualClock(), output = RecordingOutput()
        let calls = EchoCalls()
        var driver = makeDriver(clock, calls: calls)
        output.failWrites()
        await driver.handle(input("ECHO a\r\nASK outcome\r\n"), output)
        #expect(calls.record.asked.withLock { $0 } == ["outcome"])
        #expect(output.events == [.close])
    }

    @Test("run: greets, serves until QUIT, then tells the calls the connection is gone")
    func runToQuit() async {
        let clock = ManualClock(), output = RecordingOutput()
        let calls = EchoCalls()
        var driver = makeDriver(clock, calls: calls)
        let (events, continuation) = AsyncStream<DriverEvent>.makeStream()
        continuation.yield(input("ASK q\r\n"))
        continuation.yield(input("QUIT\r\nECHO ignored\r\n"))
        continuation.yield(input("ECHO ignored too\r\n"))
        await driver.run(events, output: output)
        #expect(output.sent == "hello\r\nq!\r\nbye\r\n")
        #expect(calls.record.asked.withLock { $0 } == ["q"])
        #expect(calls.record.finished.withLock { $0 })
    }

    @Test("run: the peer going away ends the run and frees what the calls held")
    func runPeerGone() async {
        let clock = ManualClock(), output = RecordingOutput()
        let calls = EchoCalls()
        var driver = makeDriver(clock, calls: calls)
        let (events, continuation) = AsyncStream<DriverEvent>.makeStream()
        continuation.yield(input("ECHO a\r\n"))
        continuation.finish()
        await driver.run(events, output: output)
        #expect(output.sent == "hello\r\na\r\n")
        #expect(calls.record.finished.withLock { $0 })
    }
}
