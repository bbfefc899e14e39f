import IMAPProtocol
import NIOCore
import ServiceKit

/// Frames the client's bytes into commands (`IMAPCommandReader`) and passes them on as
/// `IMAPInput`. It answers literal continuations itself, so a client sending `{310}` gets its
/// `+` at once even while earlier commands are still running (RFC 9051 §7.5), and it runs the
/// autologout clock.
///
/// After a STARTTLS command it frames nothing more until the session says how it went: bytes
/// a client sends before the TLS handshake are thrown away, never run as commands (RFC 9051
/// §11.1; the STARTTLS command-injection bugs, CVE-2011-0411).
final class IMAPInboundHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = IMAPInput
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var reader: IMAPCommandReader
    private let limits: ConnectionLimits
    private var pausedForTLS = false
    private var lastInput = NIODeadline.now()
    private var timer: RepeatedTask?
    private var timedOut = false
    private var context: ChannelHandlerContext?
    /// The literal being streamed, if any, and whether writing it failed.
    private var spool: MessageSpool?
    private var spoolFailed = false
    /// Literals over this are spooled instead of held (APPEND of a big message).
    static let streamThreshold = 1024 * 1024

    init(limits: ConnectionLimits, maxLineLength: Int) {
        self.limits = limits
        self.reader = IMAPCommandReader(maxLineLength: maxLineLength, maxLiteralSize: limits.maxLiteralSize.load(ordering: .relaxed))
        self.reader.streamThreshold = Self.streamThreshold
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in
            let (handler, context) = bound.value
            handler.checkTimeout(context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        lastInput = .now()
        reader.append(buffer.readableBytesView)
        drain(context)
    }

    /// The session answered STARTTLS: bytes that came before TLS are dropped, or, if STARTTLS
    /// was refused, framed as usual. Called on the event loop.
    func resume(afterTLS started: Bool) {
        if started { _ = reader.takeBuffered() }
        pausedForTLS = false
        if let context { drain(context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ShutdownNotice {
            context.fireChannelRead(wrapInboundOut(.shutdown))
            context.fireChannelReadComplete()
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func drain(_ context: ChannelHandlerContext) {
        reader.maxLiteralSize = limits.maxLiteralSize.load(ordering: .relaxed)
        reader.maxCommandSize = max(reader.maxCommandSize, reader.maxLiteralSize + 1024 * 1024)
        var fired = false
        defer { if fired { context.fireChannelReadComplete() } }
        while !pausedForTLS, let event = reader.next() {
            switch event {
            case .continuationRequest, .literalStart, .literalData: break
            default: fired = true
            }
            switch event {
            case .continuationRequest:
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "+ Ready for literal data\r\n")), promise: nil)
            case .command(let command):
                if Self.isStartTLS(command) { pausedForTLS = true }
                var spooled: SpooledLiteral?
                if let spool, !command.streamedLiterals.isEmpty { spooled = SpooledLiteral(spool: spool, failed: spoolFailed) }
                spool = nil
                context.fireChannelRead(wrapInboundOut(.command(command, spooled: spooled)))
            case .literalTooLarge(let tag, _, let synchronizing):
                spool = nil
                context.fireChannelRead(wrapInboundOut(.literalTooLarge(tag: tag, synchronizing: synchronizing)))
            case .lineTooLong(let tag):
                spool = nil
                context.fireChannelRead(wrapInboundOut(.lineTooLong(tag: tag)))
            case .literalStart:
                // One streamed literal per command (APPEND); a second one replaces the first,
                // and the session refuses such a command anyway.
                spool = MessageSpool()
                spoolFailed = false
            case .literalData(let bytes):
                do { try spool?.append(bytes) } catch { spoolFailed = true }
            }
        }
    }

    static func isStartTLS(_ command: IMAPFramedCommand) -> Bool {
        guard command.literals.isEmpty, let space = command.lines[0].firstIndex(of: 0x20) else { return false }
        return String(decoding: command.lines[0][(space + 1)...], as: UTF8.self).uppercased() == "STARTTLS"
    }

    private func checkTimeout(_ context: ChannelHandlerContext) {
        let seconds = Int64(limits.timeoutSeconds.load(ordering: .relaxed))
        guard NIODeadline.now() - lastInput > .seconds(seconds) else { return }
        if timedOut {
            // The session did not get to say goodbye (stuck writing to a client that reads
            // nothing): close anyway.
            if NIODeadline.now() - lastInput > .seconds(seconds + 30) { context.close(promise: nil) }
            return
        }
        timedOut = true
        context.fireChannelRead(wrapInboundOut(.timedOut))
        context.fireChannelReadComplete()
    }
}
