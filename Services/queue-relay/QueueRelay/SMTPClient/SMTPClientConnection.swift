import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import SMTPProtocol

/// One SMTP client connection: send commands, wait for replies with a timeout, upgrade to
/// TLS. The replies are framed by `SMTPReplyParser`, which refuses garbage and over-long
/// lines; any such error, a timeout or a closed connection fails the waiting call.
final class SMTPClientConnection: Sendable {
    enum ConnectionError: Error, CustomStringConvertible {
        case timeout(String)
        case closed
        case protocolViolation(String)
        case tls(String)

        var description: String {
            switch self {
            case .timeout(let what): return "timeout waiting for \(what)"
            case .closed: return "connection closed by the remote server"
            case .protocolViolation(let what): return "protocol violation: \(what)"
            case .tls: return "TLS handshake failed"
            }
        }
    }

    let channel: any Channel
    private let handler: ReplyHandler
    let remote: String

    private init(channel: any Channel, handler: ReplyHandler, remote: String) {
        self.channel = channel
        self.handler = handler
        self.remote = remote
    }

    static func connect(host: String, port: Int, timeout: Duration) async throws -> SMTPClientConnection {
        // Made here, not looked up after connecting: a server that speaks and hangs up at
        // once would have had the handler removed by then.
        let handler = ReplyHandler()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port).get()
        return SMTPClientConnection(channel: channel, handler: handler, remote: "\(host):\(port)")
    }

    /// The next complete reply (the greeting, or the answer to the last command).
    func reply(within timeout: Duration, waitingFor what: String) async throws -> SMTPReply {
        let handler = self.handler
        let loop = channel.eventLoop
        let future = loop.flatSubmit { handler.nextReply() }
        let timer = loop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)) {
            handler.failWaiting(ConnectionError.timeout(what))
        }
        defer { timer.cancel() }
        return try await future.get()
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends one command and waits for its reply.
    func command(_ command: SMTPCommand, within timeout: Duration) async throws -> SMTPReply {
        try await send(command.encoded)
        return try await reply(within: timeout, waitingFor: "reply to \(command.verb)")
    }

    /// After `220` to STARTTLS: the handshake, then the session goes on encrypted.
    func startTLS(serverName: String?, verify: Bool, caFile: String?, timeout: Duration) async throws {
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
        let done = channel.eventLoop.makePromise(of: Void.self)
        let handler = self.handler
        try await channel.eventLoop.submit {
            let tls = try NIOSSLClientHandler(context: context, serverHostname: name)
            try self.channel.pipeline.syncOperations.addHandler(tls, position: .first)
            handler.handshake = done
        }.get()
        let timer = channel.eventLoop.scheduleTask(in: .seconds(Int64(timeout.components.seconds))) {
            done.fail(ConnectionError.timeout("TLS handshake"))
        }
        defer { timer.cancel() }
        try await done.futureResult.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Collects replies from the byte stream and hands them to whoever waits.
///
/// `@unchecked Sendable`: every method runs on the channel's event loop (the connection only
/// reaches it through `eventLoop.submit`/`scheduleTask`), which is NIO's usual guarantee.
final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var parser = SMTPReplyParser()
    private var ready: [SMTPReply] = []
    private var waiting: EventLoopPromise<SMTPReply>?
    private var failure: (any Error)?
    private var eventLoop: (any EventLoop)?
    var handshake: EventLoopPromise<Void>?

    func handlerAdded(context: ChannelHandlerContext) {
        eventLoop = context.eventLoop
    }

    func nextReply() -> EventLoopFuture<SMTPReply> {
        guard let eventLoop else { preconditionFailure("handler not added") }
        if !ready.isEmpty { return eventLoop.makeSucceededFuture(ready.removeFirst()) }
        if let failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        waiting = promise
        return promise.futureResult
    }

    func failWaiting(_ error: any Error) {
        failure = failure ?? error
        waiting?.fail(error)
        waiting = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        parser.append(Array(buffer.readableBytesView))
        do {
            while let reply = try parser.next() {
                if let promise = waiting {
                    waiting = nil
                    promise.succeed(reply)
                } else {
                    ready.append(reply)
                }
            }
        } catch {
            failWaiting(SMTPClientConnection.ConnectionError.protocolViolation("\(error)"))
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            handshake?.succeed(())
            handshake = nil
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        handshake?.fail(SMTPClientConnection.ConnectionError.tls("\(error)"))
        handshake = nil
        failWaiting(error is NIOSSLError ? SMTPClientConnection.ConnectionError.tls("\(error)") : error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshake?.fail(SMTPClientConnection.ConnectionError.closed)
        handshake = nil
        failWaiting(SMTPClientConnection.ConnectionError.closed)
        context.fireChannelInactive()
    }
}
