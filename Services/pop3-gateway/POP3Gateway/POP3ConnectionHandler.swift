import Foundation
import Logging
import Metrics
import NIOCore
import NIOSSL
import NIOTLS
import ServiceKit
import POP3Protocol
import StoreAPI

/// Drives one `POP3Session` on one channel: performs its actions (replies, TLS, store calls,
/// streaming a message) and holds the maildrop lock for it, renewing the lease while the
/// session lives and giving it back when the connection ends.
final class POP3ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: POP3Session
    private let store: MaildropStore
    private let tls: NIOSSLContext?
    private var logger: Logger
    private let timeout: TimeAmount
    private let clientAddress: String
    private var context: ChannelHandlerContext?
    private var closing = false
    /// The server is going down: say so and close as soon as the session is between commands.
    private var shutdownRequested = false
    private var watch: InactivityWatch
    private var watchdog: RepeatedTask?
    /// The maildrop this session holds (lock lease and INBOX id), once in TRANSACTION.
    private var maildrop: (account: String, opened: MaildropStore.Opened)?
    private var renewing = false
    private var ticks = 0

    init(session: POP3Session, store: MaildropStore, tls: NIOSSLContext?, logger: Logger, timeout: TimeAmount, clientAddress: String) {
        self.session = session
        self.store = store
        self.tls = tls
        self.logger = logger
        self.timeout = timeout
        self.watch = InactivityWatch(timeout: timeout)
        self.clientAddress = clientAddress
    }

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        logger.info("connection")
        perform(session.start(), context)
        scheduleWatchdog(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        watchdog?.cancel()
        self.context = nil
        // A dropped connection deletes nothing (RFC 1939 §6); it only frees the maildrop.
        if let held = maildrop {
            maildrop = nil
            store.releaseSoon(held.account, held.opened.lease)
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        watch.input()
        perform(session.receive(Array(buffer.readableBytesView)), context)
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
            case .reply(let response):
                if !response.isOK { Counter(label: "buzon_pop3_errors_total").increment() }
                context.write(wrapOutboundOut(ByteBuffer(bytes: response.encoded)), promise: nil)
            case .raw(let bytes):
                context.write(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
            case .startTLS:
                context.flush()
                guard let tls else { continue }
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } catch {
                    context.close(promise: nil)
                }
            case .close:
                closing = true
                ConnectionClosing.closeAfterFlush(context.channel)
                return
            case .verifyLogin, .scram, .openMaildrop, .sendMessage, .expunge:
                ask(action, context)
            }
        }
        context.flush()
        watch.commandLine(unfinished: session.hasPartialCommand)
    }

    /// Runs a store action off the event loop; reading pauses until its answer is in.
    private func ask(_ action: SessionAction, _ context: ChannelHandlerContext) {
        context.flush()
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let store = self.store, logger = self.logger, client = clientAddress, channel = context.channel
        let held = maildrop
        let owner = "\(session.id)@\(ProcessInfo.processInfo.hostName)"
        Task {
            var opened: MaildropStore.Opened?
            let answer: StoreAnswer
            switch action {
            case .verifyLogin(let username, let password):
                answer = await store.verify(username, password, clientAddress: client, logger: logger)
            case .scram(let call):
                answer = await store.scram(call, clientAddress: client, logger: logger)
            case .openMaildrop(let account):
                (answer, opened) = await store.open(account, owner: owner, logger: logger)
                if opened != nil { Counter(label: "buzon_pop3_logins_total").increment() }
            case .sendMessage(let uid, let size, let lines):
                guard let held else { answer = .notSent; break }
                answer = await store.send(uid: uid, size: size, lines: lines, account: held.account, inbox: held.opened.inbox,
                                          channel: channel, logger: logger)
                if answer == .sent { Counter(label: "buzon_pop3_messages_sent_total").increment() }
            case .expunge(let uids):
                guard let held else { answer = .unavailable; break }
                answer = await store.expunge(held.account, inbox: held.opened.inbox, uids: uids, logger: logger)
                if answer == .expunged { Counter(label: "buzon_pop3_messages_deleted_total").increment(by: uids.count) }
            default:
                answer = .unavailable
            }
            let result = answer
            let lease = opened
            loop.execute {
                let handler = bound.value
                if let lease, case .openMaildrop(let account) = action {
                    handler.maildrop = (account, lease)
                    if handler.context == nil {  // the client left while we were opening
                        handler.maildrop = nil
                        store.releaseSoon(account, lease.lease)
                        return
                    }
                }
                guard let context = handler.context else { return }
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                handler.perform(handler.session.resume(result), context)
                handler.leaveIfShuttingDown(context)
            }
        }
    }

    /// Every second: autologout a command line that never ends; every lockTTL/3: renew the
    /// maildrop lease, and hang up if it was lost (another session has the maildrop now).
    private func scheduleWatchdog(_ context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { task in
            let handler = bound.value
            guard let context = handler.context, !handler.closing else {
                task.cancel()
                return
            }
            handler.ticks += 1
            if handler.watch.expired(), !handler.session.isWaitingForStore {
                handler.timedOut(context)
                return
            }
            guard handler.ticks % max(1, handler.store.lockTTL / 3) == 0, let held = handler.maildrop, !handler.renewing else { return }
            handler.renewing = true
            let store = handler.store
            Task {
                let renewed = await store.renew(held.account, held.opened.lease)
                loop.execute {
                    let handler = bound.value
                    handler.renewing = false
                    guard case .some(let lease) = renewed else { return }  // store unreachable: retry later
                    guard let lease else {
                        handler.logger.warning("maildrop lock lost")
                        handler.maildrop = nil
                        handler.context?.close(promise: nil)
                        return
                    }
                    handler.maildrop?.opened.lease = lease
                }
            }
        }
    }

    private func leaveIfShuttingDown(_ context: ChannelHandlerContext) {
        guard shutdownRequested, !closing, !(session.isWaitingForStore) else { return }
        perform([.reply(.shuttingDown), .close], context)
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        guard !closing, !session.isWaitingForStore else { return }
        logger.info("autologout")
        // RFC 1939 §3: the autologout timer closes without entering UPDATE.
        perform([.reply(.autologout), .close], context)
    }
}
