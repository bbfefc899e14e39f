import NIOCore
import NIOEmbedded
import Testing

@testable import ServiceKit

/// Remembers whether its connection was told to make room.
final class EvictionRecorder: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    var evicted = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is EvictionNotice { evicted = true }
        context.fireUserInboundEventTriggered(event)
    }
}

/// The limiter's admissions (issue 11): at the total limit the oldest connection that has not
/// logged in makes room for the new one; logged-in connections never do.
@Suite("Connection limiter")
struct ConnectionLimiterTests {
    struct Connection {
        let channel: EmbeddedChannel
        let recorder: EvictionRecorder
        var evicted: Bool { recorder.evicted }
    }

    func connection() -> Connection {
        let recorder = EvictionRecorder()
        return Connection(channel: EmbeddedChannel(handler: recorder), recorder: recorder)
    }

    @Test("Full: the oldest unauthenticated connection is told to go, and the new one is admitted")
    func evictsOldest() {
        let limiter = ConnectionLimiter(maxTotal: 3, maxPerAddress: 10)
        let a = connection(), b = connection(), c = connection(), d = connection()
        for x in [a, b, c] { #expect(limiter.acquire("192.0.2.1", channel: x.channel) == .admitted) }
        #expect(limiter.acquire("192.0.2.2", channel: d.channel) == .evicted)
        #expect(a.evicted && !b.evicted && !c.evicted && !d.evicted)
        #expect(limiter.waitingForLogin == 3)
        // Until `a` has closed, the next newcomer evicts `b`, not `a` again.
        let e = connection()
        #expect(limiter.acquire("192.0.2.2", channel: e.channel) == .evicted)
        #expect(b.evicted && !c.evicted)
        limiter.release("192.0.2.1", channel: a.channel)
        limiter.release("192.0.2.1", channel: b.channel)
        #expect(limiter.open == 3)
    }

    @Test("Logged-in connections are never evicted; when all are, the newcomer is refused")
    func authenticatedKept() {
        let limiter = ConnectionLimiter(maxTotal: 2, maxPerAddress: 10)
        let a = connection(), b = connection(), c = connection(), d = connection()
        #expect(limiter.acquire("192.0.2.1", channel: a.channel) == .admitted)
        #expect(limiter.acquire("192.0.2.1", channel: b.channel) == .admitted)
        limiter.markAuthenticated(a.channel)
        #expect(limiter.acquire("192.0.2.1", channel: c.channel) == .evicted)
        #expect(!a.evicted && b.evicted)
        limiter.release("192.0.2.1", channel: b.channel)
        limiter.markAuthenticated(c.channel)
        #expect(limiter.acquire("192.0.2.1", channel: d.channel) == .refused)
        #expect(!a.evicted && !c.evicted)
        #expect(limiter.open == 2 && limiter.waitingForLogin == 0)
    }

    @Test("The per-address limit refuses; it does not evict")
    func perAddressRefuses() {
        let limiter = ConnectionLimiter(maxTotal: 10, maxPerAddress: 2)
        let a = connection(), b = connection(), c = connection()
        #expect(limiter.acquire("192.0.2.1", channel: a.channel) == .admitted)
        #expect(limiter.acquire("192.0.2.1", channel: b.channel) == .admitted)
        #expect(limiter.acquire("192.0.2.1", channel: c.channel) == .refused)
        #expect(!a.evicted && !b.evicted)
        #expect(limiter.acquire("192.0.2.9", channel: c.channel) == .admitted)
    }

    @Test("Without eviction a full limiter refuses, as before")
    func evictionOff() {
        let limiter = ConnectionLimiter(maxTotal: 1, maxPerAddress: 10, evictsUnauthenticated: false)
        let a = connection(), b = connection()
        #expect(limiter.acquire("192.0.2.1", channel: a.channel) == .admitted)
        #expect(limiter.acquire("192.0.2.1", channel: b.channel) == .refused)
        #expect(!a.evicted)
    }

    @Test("A victim that does not go (its driver stuck in a write) is closed after the grace; one that logged in is not")
    func evictionGrace() throws {
        let limiter = ConnectionLimiter(maxTotal: 2, maxPerAddress: 10)
        let loop = EmbeddedEventLoop()
        let a = EmbeddedChannel(handler: EvictionRecorder(), loop: loop)
        let b = EmbeddedChannel(handler: EvictionRecorder(), loop: loop)
        try a.connect(to: .init(ipAddress: "192.0.2.1", port: 1)).wait()
        try b.connect(to: .init(ipAddress: "192.0.2.1", port: 1)).wait()
        #expect(limiter.acquire("192.0.2.1", channel: a) == .admitted)
        #expect(limiter.acquire("192.0.2.1", channel: b) == .admitted)
        #expect(limiter.acquire("192.0.2.1", channel: connection().channel) == .evicted)  // a must go
        #expect(limiter.acquire("192.0.2.1", channel: connection().channel) == .evicted)  // then b
        limiter.markAuthenticated(b)  // b's login finished just in time
        loop.advanceTime(by: ConnectionLimiter.evictionGrace - .milliseconds(1))
        #expect(a.isActive && b.isActive)
        loop.advanceTime(by: .milliseconds(1))
        #expect(!a.isActive && b.isActive)
    }

    @Test("Thousands of connections come, log in and go: the limiter agrees with a model at every step")
    func churn() {
        let limiter = ConnectionLimiter(maxTotal: 100, maxPerAddress: 100_000)
        var model: [(connection: Connection, authenticated: Bool)] = []
        var random: UInt64 = 42
        for _ in 0..<5000 {
            let x = connection()
            let victim = model.count >= 100 ? model.firstIndex { !$0.authenticated } : nil
            let expected: ConnectionLimiter.Admission = model.count < 100 ? .admitted : victim == nil ? .refused : .evicted
            #expect(limiter.acquire("192.0.2.1", channel: x.channel) == expected)
            #expect(model.indices.filter { model[$0].connection.evicted } == (victim.map { [$0] } ?? []))
            if let victim {
                // It closes, as its driver makes it.
                limiter.release("192.0.2.1", channel: model[victim].connection.channel)
                model.remove(at: victim)
            }
            if expected != .refused { model.append((x, false)) }
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let roll = Int(random >> 33)
            if roll % 3 == 0, let i = model.lastIndex(where: { !$0.authenticated }) {
                limiter.markAuthenticated(model[i].connection.channel)
                model[i].authenticated = true
            }
            if roll % 4 == 0, !model.isEmpty {
                let i = (roll / 4) % model.count
                limiter.release("192.0.2.1", channel: model[i].connection.channel)
                model.remove(at: i)
            }
        }
        #expect(limiter.open == model.count)
        #expect(limiter.waitingForLogin == model.filter { !$0.authenticated }.count)
    }
}

/// The driver's event handler turns the notice into an event for the driver.
@Suite("Driver events")
struct DriverEventHandlerTests {
    @Test("EvictionNotice becomes DriverEvent.evicted")
    func evictionEvent() throws {
        let channel = EmbeddedChannel(handler: DriverEventHandler(tickInterval: .hours(1)))
        channel.pipeline.fireUserInboundEventTriggered(EvictionNotice())
        guard case .evicted = try channel.readInbound(as: DriverEvent.self) else {
            Issue.record("no .evicted")
            return
        }
    }
}

@Suite("Session ids")
struct SessionIDTests {
    @Test("Ids have a fixed-width random prefix (13 base-36 digits) and never repeat within the process")
    func unique() {
        let ids = (0..<1000).map { _ in SessionID.next() }
        #expect(Set(ids).count == ids.count)
        #expect(SessionID.prefix.count == 13)
        #expect(ids.allSatisfy { $0.hasPrefix(SessionID.prefix) })
    }
}
