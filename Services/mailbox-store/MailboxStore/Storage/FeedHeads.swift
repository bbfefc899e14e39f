import Synchronization

/// What the store knows of each account without reading the database: its id, and the head of
/// its change feed as long as nothing touching the account was committed since it was read.
///
/// Gateways ask the feed "anything after N?" before most IMAP commands, and the answer is
/// nearly always "no"; in the IMAP command mix those empty reads were a third of the store's
/// requests, each two read transactions. The cache is only ever behind, never ahead: a
/// commit that takes a MODSEQ bumps the account's version after it is durable (`committed`),
/// a reader records the head only under the version it saw before its read began, and a
/// deleted account (`forgetAccounts`) empties every name's id.
final class FeedHeads: Sendable {
    private struct Known {
        var id: Int64
        var head: UInt64?
        var version: UInt64
    }
    private struct State {
        var known: [String: Known] = [:]
        var versions: [Int64: UInt64] = [:]
        /// Moves when an account is deleted: an id read before then is not recorded.
        var epoch: UInt64 = 0
        /// Accounts the write transaction under way took MODSEQs of (one writer at a time).
        var touched: Set<Int64> = []
    }
    private let state = Mutex(State())
    /// Accounts remembered; past it the cache starts again (a handful of bytes each).
    static let capacity = 100_000

    /// What to pass to `record` once the read is done: taken before the read starts.
    struct Ticket {
        fileprivate var epoch: UInt64
        fileprivate var version: UInt64?
    }

    func ticket(_ address: String) -> Ticket {
        state.withLock { s in
            Ticket(epoch: s.epoch, version: s.known[address].map { s.versions[$0.id, default: 0] })
        }
    }

    /// The account's id, if it was read since the last account deletion.
    func id(_ address: String) -> Int64? {
        state.withLock { $0.known[address]?.id }
    }

    /// The feed's head when nothing was committed for the account since it was read.
    func head(_ address: String) -> (id: Int64, head: UInt64)? {
        state.withLock { s in
            guard let known = s.known[address], let head = known.head, known.version == s.versions[known.id, default: 0] else { return nil }
            return (known.id, head)
        }
    }

    /// Remembers what a read found: the id always (unless an account was deleted meanwhile),
    /// the head only if the account's version is still the one the ticket saw.
    func record(_ address: String, id: Int64, head: UInt64?, _ ticket: Ticket) {
        state.withLock { s in
            guard s.epoch == ticket.epoch else { return }
            if s.known.count >= Self.capacity, s.known[address] == nil { s.known = [:] }
            let version = s.versions[id, default: 0]
            let current = ticket.version == version ? head : nil
            s.known[address] = Known(id: id, head: current, version: version)
        }
    }

    /// The write transaction under way takes one of the account's MODSEQs. True for the
    /// transaction's first: the caller then has `settle` run when it ends.
    func touch(_ id: Int64) -> Bool {
        state.withLock { s in
            defer { s.touched.insert(id) }
            return s.touched.isEmpty
        }
    }

    /// The write transaction ended: what it touched moves on if it committed.
    func settle(committed: Bool) {
        state.withLock { s in
            if committed { for id in s.touched { s.versions[id, default: 0] &+= 1 } }
            s.touched = []
        }
    }

    /// An account was deleted: names may now belong to nobody, or later to a new id.
    func forgetAccounts() {
        state.withLock { s in
            s.epoch &+= 1
            s.known = [:]
        }
    }
}
