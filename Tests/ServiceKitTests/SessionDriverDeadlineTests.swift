import Synchronization
import Testing

@testable import ServiceKit

/// The login deadline, the command-line rate floor and eviction (issue 11): a peer that
/// trickles a byte now and then is never silent, so only these free its slot.
@Suite("Session driver: deadlines")
struct SessionDriverDeadlineTests {
    static let deadlines = ConnectionDeadlines(login: .seconds(60), minimumLineRate: 32)

    /// Sends `text` a byte every `every`, ticking after each; answers whether the connection closed.
    static func trickle(_ text: String, every: Duration, _ driver: inout TestDriver, _ clock: ManualClock, _ output: RecordingOutput)
        async -> Bool
    {
        for byte in text {
            clock.advance(by: every)
            await driver.handle(input(String(byte)), output)
            await driver.handle(.tick, output)
            if output.events.contains(.close) { return true }
        }
        return false
    }

    @Test("Whole commands now and then, never logging in: cut at the login deadline, however busy")
    func loginDeadline() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock, deadlines: Self.deadlines)
        for _ in 0..<11 {
            clock.advance(by: .seconds(5))
            await driver.handle(input("ECHO x\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(!output.events.contains(.close))  // 55 s
        clock.advance(by: .seconds(6))
        await driver.handle(.tick, output)
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
        #expect(output.events.last == .close)
    }

    @Test("A session that keeps delivering (port 25) starts its deadline again at each message; one that stops is cut")
    func progressRenews() async {
        let clock = ManualClock(), output = RecordingOutput()
        let told = Mutex(0)  // the write timeout's clock hears of each restart
        var driver = makeDriver(clock, deadlines: Self.deadlines, onProgress: { told.withLock { $0 += 1 } })
        for _ in 0..<5 {  // 5 × 40 s: well past one deadline, a message each time
            clock.advance(by: .seconds(40))
            await driver.handle(input("DATA\r\nhello\r\n.\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(!output.events.contains(.close))
        #expect(told.withLock { $0 } == 5)
        for _ in 0..<13 {  // then only commands: cut 60 s after the last message
            clock.advance(by: .seconds(5))
            await driver.handle(input("ECHO x\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
        #expect(output.events.last == .close)
    }

    @Test("Without a login deadline the same peer is kept for ever (what issue 11 found)")
    func noDeadlineKeeps() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        for _ in 0..<100 {
            clock.advance(by: .seconds(5))
            await driver.handle(input("ECHO x\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(!output.events.contains(.close))
    }

    @Test("A peer that logs in in time is never cut by the deadline, and the limiter hears of it once")
    func loggedIn() async {
        let clock = ManualClock(), output = RecordingOutput()
        let told = Mutex(0)
        var driver = makeDriver(clock, deadlines: Self.deadlines, onAuthenticated: { told.withLock { $0 += 1 } })
        await driver.handle(input("ECHO a\r\n"), output)
        #expect(told.withLock { $0 } == 0)
        clock.advance(by: .seconds(30))
        await driver.handle(input("LOGIN\r\n"), output)
        for _ in 0..<40 {
            clock.advance(by: .seconds(5))
            await driver.handle(input("ECHO x\r\n"), output)
            await driver.handle(.tick, output)
        }
        #expect(!output.events.contains(.close))
        #expect(told.withLock { $0 } == 1)
    }

    @Test("A command line dripping a byte every 2 s is cut once past the grace, long before the timeout")
    func slowLine() async {
        let clock = ManualClock(), output = RecordingOutput()
        var session = LineSession()
        session.authenticated = true  // after login too
        var driver = makeDriver(clock, session: session, deadlines: Self.deadlines)
        let started = clock.now
        #expect(await Self.trickle("ECHO this line never ends", every: .seconds(2), &driver, clock, output))
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
        let cutAfter = started.duration(to: clock.now)
        #expect(cutAfter > ConnectionDeadlines.lineRateGrace && cutAfter <= .seconds(14))
    }

    @Test("Without the floor the same line lasts until the session's timeout")
    func slowLineWithoutFloor() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock)
        let started = clock.now
        #expect(await Self.trickle(String(repeating: "x", count: 40), every: .seconds(2), &driver, clock, output))
        #expect(started.duration(to: clock.now) > .seconds(60))
    }

    @Test("A long line arriving at a good rate over many seconds is kept, and the next line starts a new clock")
    func lineAtRate() async {
        let clock = ManualClock(), output = RecordingOutput()
        var session = LineSession()
        session.authenticated = true
        var driver = makeDriver(clock, session: session, deadlines: Self.deadlines)
        await driver.handle(input("ECHO "), output)
        for _ in 0..<20 {
            clock.advance(by: .seconds(1))
            await driver.handle(input(String(repeating: "y", count: 40)), output)
            await driver.handle(.tick, output)
        }
        await driver.handle(input("\r\n"), output)
        #expect(!output.events.contains(.close))
        #expect(output.sent.hasSuffix(String(repeating: "y", count: 800) + "\r\n"))
        // A new line: its rate counts from its own start, not from the connection's.
        #expect(!(await Self.trickle("ECHO ab", every: .seconds(1), &driver, clock, output)))
    }

    @Test("Content at its floor is not cut by the login deadline (port 25); the deadline counts again from it")
    func contentFinishesFirst() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock, deadlines: Self.deadlines)
        await driver.handle(input("DATA\r\n"), output)
        for _ in 0..<20 {
            clock.advance(by: .seconds(5))
            await driver.handle(input(String(repeating: "x", count: 998) + "\r\n"), output)
            await driver.handle(.tick, output)
        }
        await driver.handle(input(".\r\n"), output)
        #expect(!output.events.contains(.close))
        #expect(output.sent.hasSuffix("stored\r\n"))
        clock.advance(by: .seconds(30))
        await driver.handle(input("ECHO x\r\n"), output)
        await driver.handle(.tick, output)
        #expect(!output.events.contains(.close))
        clock.advance(by: .seconds(31))
        await driver.handle(.tick, output)
        #expect(output.sent.hasSuffix("bye: timeout\r\n"))
    }

    @Test("Evicted before login: the session's words and close; after login, the notice is ignored")
    func eviction() async {
        let clock = ManualClock(), output = RecordingOutput()
        var driver = makeDriver(clock, deadlines: Self.deadlines)
        await driver.handle(.evicted, output)
        #expect(output.sent == "bye: full\r\n")
        #expect(output.events.last == .close)

        let other = RecordingOutput()
        var loggedIn = makeDriver(clock, deadlines: Self.deadlines)
        await loggedIn.handle(input("LOGIN\r\n"), other)
        await loggedIn.handle(.evicted, other)
        await loggedIn.handle(input("ECHO still here\r\n"), other)
        #expect(other.sent == "welcome\r\nstill here\r\n")
        #expect(!other.events.contains(.close))
    }
}
