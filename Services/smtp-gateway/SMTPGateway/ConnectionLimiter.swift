import NIOCore
import Synchronization

/// Counts open connections in total and per client address, refuses past the limits, and
/// remembers the channels so that shutdown can close what is still open.
final class ConnectionLimiter: Sendable {
    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
        var channels: [ObjectIdentifier: any Channel] = [:]
    }
    private let state = Mutex(State())
    let maxTotal: Int
    let maxPerAddress: Int

    init(maxTotal: Int, maxPerAddress: Int) {
        self.maxTotal = maxTotal
        self.maxPerAddress = maxPerAddress
    }

    func acquire(_ address: String, channel: any Channel) -> Bool {
        state.withLock { s in
            guard s.total < maxTotal, s.perAddress[address, default: 0] < maxPerAddress else { return false }
            s.total += 1
            s.perAddress[address, default: 0] += 1
            s.channels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func release(_ address: String, channel: any Channel) {
        state.withLock { s in
            guard s.channels.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return }
            s.total -= 1
            s.perAddress[address, default: 1] -= 1
            if s.perAddress[address] == 0 { s.perAddress[address] = nil }
        }
    }

    var open: Int { state.withLock { $0.total } }
    var openChannels: [any Channel] { state.withLock { Array($0.channels.values) } }
}
