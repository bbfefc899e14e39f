import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// One outbound TCP connection as the client driver needs it: write bytes, wait for the next
/// event (bytes, the TLS handshake's end, the close) with a deadline, add TLS. It knows
/// nothing of SMTP; `SMTPClientSession` reads the bytes.
final class SMTPClientConnection: Sendable {
    enum Event: Sendable, Equatable {
        case bytes([UInt8])
        case tlsEstablished
        /// TLS failed (the library's text is not kept: it names files of our build).
        case tlsFailed
        case failed(String)
        case closed
        /// The deadline passed first.
        case timedOut
    }

    enum WriteResult: Sendable {
        case written
        case timedOut
        case failed(String)
    }

    let channel: any Channel
    private let handler: ClientEventHandler

    private init(channel: any Channel, handler: ClientEventHandler) {
        self.channel = channel
        self.handler = handler
    }

    static func connect(host: String, port: Int, timeout: Duration) async throws -> SMTPClientConnection {
        // Made here, not looked up after connecting: a server that speaks and hangs up at
        // once would have had the handler removed by then.
        let handler = ClientEventHandler()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(timeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port).get()
        return SMTPClientConnection(channel: channel, handler: handler)
    }

    /// The next event, or `.timedOut` when `timeout` passes first.
    func next(within timeout: Duration) async -> Event {
        let handler = self.handler
        return (try? await channel.eventLoop.flatSubmit { handler.nextEvent(within: timeout) }.get()) ?? .closed
    }

    /// The events that arrived while nobody waited (on a kept connection), without waiting.
    func buffered() async -> [Event] {
        let handler = self.handler
        return (try? await channel.eventLoop.submit { handler.takeAll() }.get()) ?? [.closed]
    }

    /// Queues bytes for writing; a failure shows as the connection's next event.
    func send(_ bytes: [UInt8]) {
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: nil)
    }

    /// Writes bytes and waits until they are written or `timeout` passes (RFC 5321 §4.5.3.2.5).
    func write(_ bytes: [UInt8], within timeout: Duration) async -> WriteResult {
        let loop = channel.eventLoop
        let done = loop.makePromise(of: WriteResult.self)
        channel.writeAndFlush(ByteBuffer(bytes: bytes)).whenComplete { result in
            switch result {
            case .success: done.succeed(.written)
            case .failure(let error): done.succeed(.failed("\(error)"))
            }
        }
        // Whichever comes first: a promise completed twice keeps its first value.
        let timer = loop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { done.succeed(.timedOut) }
        defer { timer.cancel() }
        return (try? await done.futureResult.get()) ?? .failed("write failed")
    }

    /// After 2xx to STARTTLS: adds TLS in front of everything and drops the bytes read so far
    /// (RFC 3207 §4.2). The handshake's end arrives as `.tlsEstablished` or `.tlsFailed`.
    func startTLS(serverName: String?, verify: Bool, caFile: String?) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if verify {
            configuration.certificateVerification = .fullVerification
            if let caFile { configuration.trustRoots = .file(caFile) }
        } else {
            // Opportunistic TLS (RFC 7435): encrypt even when the certificate cannot be checked.
            configuration.certificateVerification = .none
        }
        let context = try NIOSSLContext(configuration: configuration)
        let name = serverName.flatMap { IPAddress.isLiteral($0) ? nil : $0 }
        let channel = self.channel
        let handler = self.handler
        try await channel.eventLoop.submit {
            let tls = try NIOSSLClientHandler(context: context, serverHostname: name)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
            handler.discardBytes()
        }.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

/// Keeps the connection's events in order for whoever waits.
///
/// `@unchecked Sendable`: every method runs on the channel's event loop (the connection only
/// reaches it through `eventLoop.submit`/`scheduleTask`), which is NIO's usual guarantee.
final class ClientEventHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias Event = SMTPClientConnection.Event

    private var events: [Event] = []
    private var waiting: (promise: EventLoopPromise<Event>, timer: Scheduled<Void>, number: Int)?
    /// Numbers the waits, so that a late timer cannot end a later wait.
    private var waits = 0
    private var eventLoop: (any EventLoop)?

    func handlerAdded(context: ChannelHandlerContext) {
        eventLoop = context.eventLoop
    }

    /// The next event, or `.timedOut` after `timeout`.
    func nextEvent(within timeout: Duration) -> EventLoopFuture<Event> {
        guard let eventLoop else { preconditionFailure("handler not added") }
        if !events.isEmpty { return eventLoop.makeSucceededFuture(events.removeFirst()) }
        waits += 1
        let number = waits
        let promise = eventLoop.makePromise(of: Event.self)
        let timer = eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) { [self] in
            guard let current = waiting, current.number == number else { return }
            waiting = nil
            current.promise.succeed(.timedOut)
        }
        waiting = (promise, timer, number)
        return promise.futureResult
    }

    func takeAll() -> [Event] {
        defer { events = [] }
        return events
    }

    func discardBytes() {
        events.removeAll { if case .bytes = $0 { return true } else { return false } }
    }

    private func post(_ event: Event) {
        if let current = waiting {
            waiting = nil
            current.timer.cancel()
            current.promise.succeed(event)
        } else {
            events.append(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        post(.bytes(Array(unwrapInboundIn(data).readableBytesView)))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls { post(.tlsEstablished) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        post(error is NIOSSLError || error is NIOSSLExtraError ? .tlsFailed : .failed("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        post(.closed)
        context.fireChannelInactive()
    }
}
