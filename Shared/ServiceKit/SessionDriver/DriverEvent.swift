import NIOCore
import NIOTLS

/// Everything that can happen to a connection, in the order it happened: one stream, so the
/// driver handles one event at a time and needs no locks.
public enum DriverEvent: Sendable {
    /// Bytes from the peer.
    case input(ByteBuffer)
    /// A second went by (timeouts, lease renewal).
    case tick
    /// The process is going down (`ShutdownNotice`).
    case shutdown
    /// The connection limit was reached and this unauthenticated connection makes room
    /// (`EvictionNotice`).
    case evicted
    /// The TLS handshake completed.
    case tlsEstablished
    /// TLS was installed: input before this was read in the clear after STARTTLS.
    case tlsBoundary
}

/// Turns a channel's reads, TLS and shutdown events and a one-second timer into
/// `DriverEvent`s for an `NIOAsyncChannel`.
///
/// NIO's IdleStateHandler is not used: a TLS handler added mid-stream can swallow the
/// read-complete event it relies on, and a stalled handshake would never time out.
public final class DriverEventHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = DriverEvent

    private var timer: RepeatedTask?
    private var context: ChannelHandlerContext?
    let tickInterval: TimeAmount

    public init(tickInterval: TimeAmount = .seconds(1)) {
        self.tickInterval = tickInterval
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in
            bound.value.fire(.tick)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        self.context = nil
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(wrapInboundOut(.input(unwrapInboundIn(data))))
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ShutdownNotice {
            fire(.shutdown)
        } else if event is EvictionNotice {
            fire(.evicted)
        } else if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            fire(.tlsEstablished)
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Called on the event loop, in the turn that installs TLS.
    func markTLSBoundary() {
        fire(.tlsBoundary)
    }

    private func fire(_ event: DriverEvent) {
        guard let context else { return }
        context.fireChannelRead(wrapInboundOut(event))
        context.fireChannelReadComplete()
    }
}
