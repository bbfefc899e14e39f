import Foundation
import NIOCore
import Synchronization

/// Counts open connections in total and per client address, refuses past the limits, and
/// remembers the channels so that shutdown can close what is still open. Every protocol
/// gateway uses one per process.
public final class ConnectionLimiter: Sendable {
    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var channels: [ObjectIdentifier: any Channel] = [:]
    }
    private let state = Mutex(State())
    public let maxTotal: Int
    public let maxPerAddress: Int

    public init(maxTotal: Int, maxPerAddress: Int) {
        self.maxTotal = maxTotal
        self.maxPerAddress = maxPerAddress
    }

    public func acquire(_ address: String, channel: any Channel) -> Bool {
        state.withLock { s in
            guard s.total < maxTotal, s.perAddress[address, default: 0] < maxPerAddress else { return false }
            s.total += 1
            s.perAddress[address, default: 0] += 1
            s.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    public func release(_ address: String, channel: any Channel) {
        state.withLock { s in
            guard s.channels.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return }
            s.total -= 1
            s.perAddress[address, default: 1] -= 1
            if s.perAddress[address] == 0 { s.perAddress[address] = nil }
        }
    }

    public var open: Int { state.withLock { $0.total } }
    public var openChannels: [any Channel] { state.withLock { Array($0.channels.values) } }
}

/// Answers a fixed refusal (SMTP `421`, POP3 `-ERR`, IMAP `* BYE`) to a connection over the
/// limits, then closes it.
public final class RefuseHandler: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer
    let message: [UInt8]

    public init(message: [UInt8]) { self.message = message }

    public func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: message))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

/// Short session ids for logs and trace headers: a per-process prefix from the start time and
/// a counter, unique enough to find one connection in the logs of several instances.
public enum SessionID {
    private static let counter = Atomic<UInt64>(0)
    private static let prefix = String(UInt64(Date().timeIntervalSince1970 * 1000) % 0xFFFF_FFFF, radix: 36)
    public static func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return "\(prefix)\(String(n, radix: 36))"
    }
}

/// Sent down every open connection's pipeline when the process begins a graceful shutdown:
/// a session that is idle says goodbye (SMTP `421`, POP3 `-ERR [SYS/TEMP]`) and closes; one
/// that is busy finishes first.
public struct ShutdownNotice: Sendable {
    public init() {}
}

extension ConnectionLimiter {
    /// Tells every open connection that the server is going down.
    public func announceShutdown() {
        for channel in openChannels {
            channel.pipeline.fireUserInboundEventTriggered(ShutdownNotice())
        }
    }
}

public enum ConnectionClosing {
    /// How long a last reply may take to leave before the connection is cut anyway: a peer
    /// that stalls a TLS handshake or stops reading must not keep its slot.
    public static let grace: TimeAmount = .seconds(2)
}
