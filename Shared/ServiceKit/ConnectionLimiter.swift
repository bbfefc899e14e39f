import Foundation
import NIOCore
import Synchronization

/// Counts open connections in total and per client address, refuses past the limits, and
/// remembers the channels so that shutdown can close what is still open. Every protocol
/// gateway uses one per process.
///
/// At the total limit a new connection is not refused while some open connection has not
/// logged in: the oldest of those is told to go (`EvictionNotice`, Dovecot's "Connection
/// queue full") and the new one takes its place, so that connections that never log in
/// cannot keep out the clients that do. A logged-in connection (`markAuthenticated`) is never
/// evicted. Until the evicted connection has closed, the total may be over the limit by the
/// evictions in flight. The per-address limit still refuses: one address cannot push out
/// another's connections beyond its own share.
public final class ConnectionLimiter: Sendable {
    /// What `acquire` decided.
    public enum Admission: Sendable, Equatable {
        case admitted
        /// Admitted in the place of the oldest unauthenticated connection, which was told to go.
        case evicted
        case refused
    }

    private struct Entry {
        var channel: any Channel
        var address: String
        /// Tells this admission from a later channel at the same address in memory.
        var serial: UInt64
        var authenticated = false
        var evicting = false
        var waiting: Bool { !authenticated && !evicting }
    }

    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Admissions, oldest first; those that have logged in, closed or been evicted since
        /// are skipped when met, and dropped when the queue is compacted.
        var queue: [(id: ObjectIdentifier, serial: UInt64)] = []
        var head = 0
        /// Entries still waiting to log in (and so evictable).
        var waiting = 0
        var nextSerial: UInt64 = 0

        func isWaiting(_ item: (id: ObjectIdentifier, serial: UInt64)) -> Bool {
            guard let entry = entries[item.id] else { return false }
            return entry.serial == item.serial && entry.waiting
        }

        /// Marks the oldest waiting connection as evicted and answers its channel.
        mutating func evictOldest() -> (any Channel)? {
            defer { compact() }
            while head < queue.count {
                let item = queue[head]
                head += 1
                guard isWaiting(item) else { continue }
                entries[item.id]!.evicting = true
                waiting -= 1
                return entries[item.id]!.channel
            }
            return nil
        }

        /// Keeps the queue within a constant factor of the connections waiting.
        mutating func compact() {
            guard queue.count - head > 2 * waiting + 1024 || head > 1024 && head * 2 > queue.count else { return }
            queue = queue[head...].filter { isWaiting($0) }
            head = 0
        }
    }
    private let state = Mutex(State())
    public let maxTotal: Int
    public let maxPerAddress: Int
    /// Whether a full server evicts its oldest unauthenticated connection for a new one.
    public let evictsUnauthenticated: Bool

    public init(maxTotal: Int, maxPerAddress: Int, evictsUnauthenticated: Bool = true) {
        self.maxTotal = maxTotal
        self.maxPerAddress = maxPerAddress
        self.evictsUnauthenticated = evictsUnauthenticated
    }

    public func acquire(_ address: String, channel: any Channel) -> Admission {
        let (admission, victim) = state.withLock { s -> (Admission, (any Channel)?) in
            guard s.perAddress[address, default: 0] < maxPerAddress else { return (.refused, nil) }
            var victim: (any Channel)?
            if s.total >= maxTotal {
                guard evictsUnauthenticated, let oldest = s.evictOldest() else { return (.refused, nil) }
                victim = oldest
            }
            s.total += 1
            s.perAddress[address, default: 0] += 1
            s.nextSerial += 1
            let id = ObjectIdentifier(channel)
            s.entries[id] = Entry(channel: channel, address: address, serial: s.nextSerial)
            s.queue.append((id, s.nextSerial))
            s.waiting += 1
            return (victim == nil ? .admitted : .evicted, victim)
        }
        if let victim {
            // Outside the lock: the victim's driver says goodbye (`DriverEvent.evicted`). A
            // driver stuck in a write to a peer that reads nothing would hear it only at the
            // write timeout, so a victim still not logged in is closed after a grace.
            victim.pipeline.fireUserInboundEventTriggered(EvictionNotice())
            victim.eventLoop.scheduleTask(in: Self.evictionGrace) { [weak self] in
                if self?.isBeingEvicted(victim) ?? false { victim.close(promise: nil) }
            }
        }
        return admission
    }

    /// How long an evicted connection may take to say goodbye before it is closed anyway.
    public static let evictionGrace: TimeAmount = .seconds(5)

    func isBeingEvicted(_ channel: any Channel) -> Bool {
        state.withLock { $0.entries[ObjectIdentifier(channel)]?.evicting ?? false }
    }

    /// The connection's session has logged in: it is never evicted.
    public func markAuthenticated(_ channel: any Channel) {
        state.withLock { s in
            let id = ObjectIdentifier(channel)
            guard let entry = s.entries[id], !entry.authenticated else { return }
            if entry.waiting { s.waiting -= 1 }
            s.entries[id]!.authenticated = true
            s.entries[id]!.evicting = false
            s.compact()
        }
    }

    public func release(_ address: String, channel: any Channel) {
        state.withLock { s in
            guard let entry = s.entries.removeValue(forKey: ObjectIdentifier(channel)) else { return }
            if entry.waiting { s.waiting -= 1 }
            s.total -= 1
            s.perAddress[address, default: 1] -= 1
            if s.perAddress[address] == 0 { s.perAddress[address] = nil }
            s.compact()
        }
    }

    public var open: Int { state.withLock { $0.total } }
    /// Open connections that have not logged in (nor been told to go).
    public var waitingForLogin: Int { state.withLock { $0.waiting } }
    public var openChannels: [any Channel] { state.withLock { $0.entries.values.map(\.channel) } }
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
    /// 64 random bits, fixed width: ids name idempotency keys (`<session>.<n>`), which must
    /// not meet across gateway instances or restarts (a clock's milliseconds repeat, and two
    /// processes can start in the same one).
    static let prefix: String = {
        let digits = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return String(repeating: "0", count: 13 - digits.count) + digits
    }()
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

/// Sent down the pipeline of the oldest unauthenticated connection when a new one takes its
/// place at the connection limit (`ConnectionLimiter`).
public struct EvictionNotice: Sendable {
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
