import Logging
import NIOCore
import NIOSSL
import ServiceKit
import Synchronization
import Testing

@testable import QueueRelay

/// What the shared driver wrote for the client, flushed write by flush, without sockets.
final class WireOutput: DriverOutput {
    private let state = Mutex<(pending: [UInt8], wire: String, failFlushes: Bool)>(([], "", false))

    /// Everything flushed, as text; `[TLS]` and `[close]` where they happened.
    var wire: String { state.withLock { $0.wire } }
    /// From now on every flush fails (the server stopped taking bytes, then went away).
    func failFlushes() { state.withLock { $0.failFlushes = true } }

    func write(_ bytes: [UInt8]) { state.withLock { $0.pending += bytes } }

    func flush() async throws {
        try state.withLock { s in
            guard !s.failFlushes else { throw ChannelError.outputClosed }
            s.wire += String(decoding: s.pending, as: UTF8.self)
            s.pending = []
        }
    }

    func startTLS() async throws {
        try await flush()
        state.withLock { $0.wire += "[TLS]" }
    }

    func close() async {
        try? await flush()
        state.withLock { $0.wire += "[close]" }
    }
}

/// The client session, its calls and `SMTPClientLink` on ServiceKit's `SessionDriver`: the
/// server's bytes go in as driver events, the wire and the outcomes the link hands out are
/// checked.
@Suite("SMTP client on the shared driver")
struct ClientOnDriverTests {
    let output = WireOutput()
    let events: AsyncThrowingStream<DriverEvent, any Error>
    let server: AsyncThrowingStream<DriverEvent, any Error>.Continuation
    let link = SMTPClientLink(isActive: { true })

    init() {
        (events, server) = AsyncThrowingStream<DriverEvent, any Error>.makeStream()
    }

    /// Starts the driver on a session with `message` and its content.
    func run(_ message: OutboundMessage, content: [UInt8], tls: SMTPClientSession.TLSPolicy = .opportunistic) -> Task<Void, Never> {
        let session = SMTPClientSession(
            settings: .init(hostname: ClientTranscript.ourName, host: ClientTranscript.serverName, tls: tls),
            message: message)
        let calls = SMTPClientCalls(link: link, content: content, blockTimeout: .seconds(180), idleLimit: .seconds(60))
        let (events, output) = (self.events, self.output)
        return Task {
            var driver = SessionDriver(session: session, calls: calls, clock: ContinuousClock(), logger: Logger(label: "test"))
            await driver.run(events, output: output)
        }
    }

    func say(_ lines: String...) {
        server.yield(.input(ByteBuffer(string: lines.map { $0 + "\r\n" }.joined())))
    }

    @Test("a reply begun but not ended runs the driver's partial-line clock: a trickling server cannot hold a worker")
    func partialReply() {
        var session = SMTPClientSession(
            settings: .init(hostname: ClientTranscript.ourName, host: ClientTranscript.serverName, tls: .opportunistic),
            message: .make(["bob@b.test"]))
        _ = session.start()
        _ = session.receive(Array("220-mx.b.test first line\r\n220-second".utf8))
        #expect(session.hasPartialCommand)
        _ = session.receive(Array(" line\r\n220 last\r\n".utf8))
        #expect(!session.hasPartialCommand)
    }

    @Test("a message, then the next on the kept connection, then QUIT: one outcome each, the content dot-stuffed")
    func keptConnection() async {
        let content = Array("Subject: hi\r\n\r\n.starts with a dot\r\n".utf8)
        let task = run(.make(["bob@b.test"], content: content), content: content)
        say("220 mx.b.test ESMTP", "250 mx.b.test", "250 sender ok", "250 rcpt ok", "354 go on", "250 queued as 1")
        let first = await link.outcome()
        #expect(first?.reusable == true)
        if case .recipients(let outcomes)? = first?.result {
            #expect(outcomes.map(\.outcome) == [.delivered])
        } else {
            Issue.record("\(String(describing: first))")
        }

        // The second message: the replies may wait in the stream while the session is idle.
        say("250 sender ok", "250 rcpt ok", "354 go on", "452 4.3.1 full")
        let second = await link.deliver(.make(["carol@b.test"]), content: OutboundMessage.content)
        if case .recipients(let outcomes)? = second?.result {
            #expect(outcomes.map(\.outcome) == [.deferred])
        } else {
            Issue.record("\(String(describing: second))")
        }

        await link.end()
        say("221 bye")
        await task.value
        let wire = output.wire
        #expect(wire.hasPrefix("EHLO relay.example.test\r\nMAIL FROM:<alice@a.test>"))
        #expect(wire.contains("Subject: hi\r\n\r\n..starts with a dot\r\n.\r\nMAIL FROM:<alice@a.test>"))
        #expect(wire.contains("RCPT TO:<carol@b.test>\r\nDATA\r\nSubject: hi\r\n\r\nHello.\r\n.\r\n"))
        #expect(wire.hasSuffix("QUIT\r\n[close]"))
        // Nothing more after the end.
        #expect(await link.outcome() == nil)
    }

    @Test("the server hangs up in the middle: the message's one outcome is the next host")
    func hangUp() async {
        let task = run(.simple, content: OutboundMessage.content)
        say("220 mx.b.test ESMTP", "250 mx.b.test")
        server.finish()
        await task.value
        let outcome = await link.outcome()
        #expect(outcome?.reusable == false)
        guard case .tryNextHost(let reason)? = outcome?.result else { Issue.record("\(String(describing: outcome))"); return }
        #expect(reason == "mx.b.test: connection closed by the remote server")
        await link.report(SMTPClientOutcome(result: .tryNextHost(reason: "twice"), reusable: false))
        #expect(await link.outcome() == nil)
    }

    @Test("a TLS error from the connection is told apart: no library text in the reason")
    func tlsFails() async {
        let task = run(.simple, content: OutboundMessage.content, tls: .requireVerified)
        say("220 mx.b.test ESMTP", "250-mx.b.test", "250 STARTTLS", "220 go ahead")
        server.finish(throwing: NIOSSLError.handshakeFailed(.sslError([])))
        await task.value
        let outcome = await link.outcome()
        guard case .tryNextHost(let reason)? = outcome?.result else { Issue.record("\(String(describing: outcome))"); return }
        #expect(reason == "mx.b.test: TLS handshake failed")
        #expect(output.wire == "EHLO relay.example.test\r\nSTARTTLS\r\n[TLS]")  // the connection is gone: no more writes
    }

    @Test("writing the content fails: the next host, the connection closed")
    func bodyWriteFails() async {
        let task = run(.simple, content: OutboundMessage.content)
        say("220 mx.b.test ESMTP", "250 mx.b.test", "250 sender ok", "250 rcpt ok")
        // Flushes fail from the content on (the 354 comes once the DATA is out).
        while !output.wire.hasSuffix("DATA\r\n") { await Task.yield() }
        output.failFlushes()
        say("354 go on")
        let outcome = await link.outcome()
        guard case .tryNextHost(let reason)? = outcome?.result else { Issue.record("\(String(describing: outcome))"); return }
        #expect(reason == "mx.b.test: \(ChannelError.outputClosed)")
        server.finish()
        await task.value
    }
}

@Suite("SMTP client link")
struct ClientLinkTests {
    static let delivered = SMTPClientOutcome(result: .recipients([]), reusable: true)

    @Test("a kept connection that closed while idle is noticed before anything is written: nil, and it quits")
    func closedWhileIdle() async {
        let open = Mutex(true)
        let link = SMTPClientLink(isActive: { open.withLock { $0 } })
        let idle = Task { await link.reportThenWait(Self.delivered, idleLimit: .seconds(60)) }
        #expect(await link.outcome() == Self.delivered)
        open.withLock { $0 = false }
        #expect(await link.deliver(.simple, content: []) == nil)
        guard case .quit = await idle.value else { Issue.record("not told to quit"); return }
    }

    @Test("an idle connection past the idle limit quits, and is not handed a message after")
    func idleLimit() async {
        let link = SMTPClientLink(isActive: { true })
        let next = await link.reportThenWait(Self.delivered, idleLimit: .milliseconds(10))
        guard case .quit = next else { Issue.record("not told to quit"); return }
        #expect(await link.deliver(.simple, content: []) == nil)
    }

    @Test("the driver ending with a message in flight gives it exactly one outcome: none")
    func endedInFlight() async {
        let link = SMTPClientLink(isActive: { true })
        let waiting = Task { await link.outcome() }
        await link.ended()
        #expect(await waiting.value == nil)
    }
}
