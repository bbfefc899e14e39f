import Foundation
import Logging
import Metrics
import NIOCore
import NIOSSL
import NIOTLS
import ServiceKit

/// Drives one `SMTPSession` on one NIO channel: it performs the session's actions (write a
/// reply, start TLS, call the store, close) and decides nothing itself (CONVENTIONS.md §4).
///
/// While the store is asked, reading stops (`autoRead` off), so a pipelining client cannot
/// make us buffer without bound, and replies keep their order.
final class SMTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: SMTPSession
    private let store: StoreAnswers
    private let tls: NIOSSLContext?
    private var logger: Logger
    private let timeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var watch: InactivityWatch
    /// When the current message content began, and how much of it has arrived since.
    private var contentSince: NIODeadline?
    private var contentBytes = 0
    private let minDataRate: Int
    private var watchdog: RepeatedTask?
    private var closing = false
    /// The server is going down: say so and close as soon as the session is between commands.
    private var shutdownRequested = false
    private let spool = MessageSpool()

    init(session: SMTPSession, store: StoreAnswers, tls: NIOSSLContext?, logger: Logger, timeout: TimeAmount, minDataRate: Int) {
        self.session = session
        self.minDataRate = minDataRate
        self.store = store
        self.tls = tls
        self.logger = logger
        self.timeout = timeout
        self.watch = InactivityWatch(timeout: timeout)
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        logger.info("connection", metadata: ["listener": "\(session.listener.rawValue)"])
        perform(session.start(), context)
        scheduleWatchdog(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        watchdog?.cancel()
        self.context = nil
        logger.debug("disconnected")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        watch.input()
        Counter(label: "buzon_smtp_received_bytes_total").increment(by: buffer.readableBytes)
        if contentSince != nil { contentBytes += buffer.readableBytes }
        perform(session.receive(Array(buffer.readableBytesView)), context)
        leaveIfShuttingDown(context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ShutdownNotice {
            shutdownRequested = true
            leaveIfShuttingDown(context)
        } else if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            session.tlsEstablished()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.info("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func perform(_ actions: [SessionAction], _ context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .reply(let reply):
                if reply.code >= 400 {
                    Counter(label: "buzon_smtp_refusals_total", dimensions: [("code", String(reply.code))]).increment()
                }
                context.write(wrapOutboundOut(ByteBuffer(bytes: reply.encoded)), promise: nil)
            case .startTLS:
                context.flush()
                guard let tls else { continue }
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } catch {
                    logger.error("could not start TLS", metadata: ["error": "\(error)"])
                    context.close(promise: nil)
                }
            case .close:
                closing = true
                ConnectionClosing.closeAfterFlush(context.channel)
                return
            case .beginContent:
                spool.reset()
            case .content(let bytes):
                do {
                    try spool.append(bytes)
                } catch {
                    logger.error("cannot spool the message", metadata: ["error": "\(error)"])
                    perform([.reply(.insufficientStorage), .close], context)
                    return
                }
            case .verifyLogin, .scram, .lookup, .deliver:
                ask(action, context)
            }
        }
        context.flush()
        watch.commandLine(unfinished: session.hasPartialCommand)
        if session.isReceivingContent {
            if contentSince == nil {
                contentSince = .now()
                contentBytes = 0
            }
        } else {
            contentSince = nil
        }
    }

    private func ask(_ action: SessionAction, _ context: ChannelHandlerContext) {
        context.flush()
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        if case .deliver = action { Counter(label: "buzon_smtp_messages_total").increment() }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let store = self.store
        let client = session.clientAddressForStore
        let logger = self.logger
        var body: SpoolContents?
        if case .deliver = action { body = spool.contents() }
        let contents = body
        Task {
            let answer = await store.answer(action, body: contents, clientAddress: client, logger: logger)
            loop.execute {
                let handler = bound.value
                guard let context = handler.context else { return }
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                if case .deliver = action { handler.spool.reset() }
                handler.perform(handler.session.resume(answer), context)
                handler.leaveIfShuttingDown(context)
            }
        }
    }

    /// RFC 5321 §4.5.3.2: a server may close a connection that stays silent, and one that
    /// trickles a command line byte by byte must not hold its slot for ever.
    private func scheduleWatchdog(_ context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { task in
            let handler = bound.value
            guard let context = handler.context, !handler.closing else {
                task.cancel()
                return
            }
            if handler.watch.expired(), !handler.session.isWaitingForStore {
                handler.timedOut(context)
            } else if let since = handler.contentSince, handler.tooSlow(since: since) {
                handler.timedOut(context)
            }
        }
    }

    /// Postfix's `smtpd_min_data_rate` idea: past the timeout, the content must have come at
    /// `minDataRate` bytes a second on average, or a trickling client holds its slot for days.
    private func tooSlow(since: NIODeadline) -> Bool {
        let elapsed = NIODeadline.now() - since
        guard elapsed > timeout else { return false }
        let seconds = Int(elapsed.nanoseconds / 1_000_000_000)
        return contentBytes < minDataRate * seconds
    }

    private func leaveIfShuttingDown(_ context: ChannelHandlerContext) {
        guard shutdownRequested, !closing, !(session.isWaitingForStore || session.isReceivingContent) else { return }
        perform([.reply(.shuttingDown), .close], context)
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        guard !closing, !session.isWaitingForStore else { return }
        logger.info("timeout")
        perform([.reply(.timeout), .close], context)
    }
}
