import NIOCore
import Synchronization

/// `DriverOutput` on a NIO channel. Writes go to the channel directly (not through
/// NIOAsyncChannel's writer), so that the reply to STARTTLS and the TLS handler are ordered
/// in one event-loop turn.
public final class ChannelOutput: DriverOutput {
    let channel: any Channel
    /// Makes the TLS handler (server or client side) for STARTTLS.
    let makeTLSHandler: (@Sendable () throws -> any ChannelHandler)?
    /// A flush the peer does not take within this time ends the connection; asked at each
    /// flush, since it may change (IMAP's is short before login).
    let writeTimeout: @Sendable () -> Duration
    private let pending = Mutex<[UInt8]>([])
    /// The channel has closed: a write not waited for cannot report it (not `isActive`,
    /// which is false too before the connection is set up).
    private let isClosed = Atomic(false)

    public init(
        channel: any Channel, writeTimeout: @escaping @Sendable () -> Duration,
        makeTLSHandler: (@Sendable () throws -> any ChannelHandler)?
    ) {
        self.channel = channel
        self.writeTimeout = writeTimeout
        self.makeTLSHandler = makeTLSHandler
        channel.closeFuture.whenComplete { [weak self] _ in self?.isClosed.store(true, ordering: .relaxed) }
    }

    public func write(_ bytes: [UInt8]) {
        pending.withLock { $0 += bytes }
    }

    public func flush() async throws {
        // Taken and queued on the channel's loop under the lock: two tasks writing (an IMAP
        // session in IDLE and its driver, the INPROGRESS ticker and the command) cannot swap
        // their bytes. Queued even from the loop itself (the driver runs there,
        // `EventLoopExecutor`): a write made there at once would overtake one another task
        // queued before it.
        let channel = self.channel
        let timeout = TimeAmount(writeTimeout())
        let written = pending.withLock { queued -> EventLoopFuture<Void>? in
            guard !queued.isEmpty else { return nil }
            defer { queued = [] }
            let buffer = ByteBuffer(bytes: queued)
            guard !isClosed.load(ordering: .relaxed) else {
                return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
            }
            // Room in the channel's buffer (below its high-water mark): no need to wait for
            // this write, which saves the task a suspension and a thread switch per reply.
            if channel.isWritable {
                channel.eventLoop.execute { channel.writeAndFlush(buffer, promise: nil) }
                return nil
            }
            // Full: wait until this write is taken, for at most the write timeout. The write,
            // its guard timer and the timer's cancelling in one event-loop turn.
            return channel.eventLoop.flatSubmit {
                let guardTimer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
                return channel.writeAndFlush(buffer).always { _ in guardTimer.cancel() }
            }
        }
        try await written?.get()
    }

    public func startTLS() async throws {
        guard let makeTLSHandler else { throw ChannelError.operationUnsupported }
        let channel = self.channel
        try await channel.eventLoop.submit {
            // What is queued (the reply to STARTTLS) is taken here, in the same turn: no other
            // task's flush can slip in between it and TLS.
            let buffer = self.pending.withLock { queued -> ByteBuffer? in
                defer { queued = [] }
                return queued.isEmpty ? nil : ByteBuffer(bytes: queued)
            }
            if let buffer { channel.writeAndFlush(buffer, promise: nil) }
            try channel.pipeline.syncOperations.addHandler(makeTLSHandler(), position: .first)
            try channel.pipeline.syncOperations.handler(type: DriverEventHandler.self).markTLSBoundary()
        }.get()
    }

    /// Sends what is queued, then puts `makeHandlers`' handlers between TLS (when on) and the
    /// driver's handler, in one event-loop turn: every byte after the queued ones goes through
    /// them (IMAP COMPRESS, RFC 4978 §3: compression starts after the OK's CRLF, inside TLS).
    public func addLayer(_ makeHandlers: @escaping @Sendable () throws -> [any ChannelHandler]) async throws {
        let channel = self.channel
        try await channel.eventLoop.submit {
            let buffer = self.pending.withLock { queued -> ByteBuffer? in
                defer { queued = [] }
                return queued.isEmpty ? nil : ByteBuffer(bytes: queued)
            }
            if let buffer { channel.writeAndFlush(buffer, promise: nil) }
            let driver = try channel.pipeline.syncOperations.handler(type: DriverEventHandler.self)
            try channel.pipeline.syncOperations.addHandlers(makeHandlers(), position: .before(driver))
        }.get()
    }

    public func close() async {
        let channel = self.channel
        // A peer that stalls a TLS handshake or stops reading must not keep its slot.
        let cutOff = channel.eventLoop.scheduleTask(in: ConnectionClosing.grace) { channel.close(promise: nil) }
        let last = pending.withLock { queued -> EventLoopFuture<Void> in
            defer { queued = [] }
            let buffer = ByteBuffer(bytes: queued)
            // Behind every write queued before it (see `flush`).
            return channel.eventLoop.flatSubmit { channel.writeAndFlush(buffer) }
        }
        // The last reply (221, +OK, BYE) leaves before the close.
        try? await last.get()
        cutOff.cancel()
        try? await channel.close()
    }
}
