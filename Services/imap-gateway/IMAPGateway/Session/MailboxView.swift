import IMAPProtocol
import StoreAPI

/// What one session has told its client about the selected mailbox: the UIDs in sequence
/// order and their flags, and how far into the account's change feed it has read. RFC 9051
/// §2.3.1.2: sequence numbers change only when the session announces an EXPUNGE, so the view
/// changes only through `apply`, at the moments the session may announce.
struct MailboxView: Sendable {
    var mailbox: MailboxInfo
    let readOnly: Bool
    /// UIDs in ascending order: index + 1 is the sequence number.
    private(set) var uids: [UInt32] = []
    /// Flags of `uids[i]`, as last announced (to skip echoing a change the client knows).
    private(set) var flags: [[String]] = []
    /// The account-wide MODSEQ up to which the change feed has been applied.
    var cursor: UInt64
    /// Expunged in the store but not yet announced (during FETCH, STORE, SEARCH: RFC 9051 §7.5.1).
    private(set) var heldExpunges: Set<UInt32> = []
    /// Another session deleted the mailbox: every message is gone, and nothing that happens
    /// later under its id (the store may give a new mailbox the same id) belongs to this view.
    private(set) var deleted = false

    init(mailbox: MailboxInfo, readOnly: Bool, cursor: UInt64, messages: [MessageSummary]) {
        self.mailbox = mailbox
        self.readOnly = readOnly
        self.cursor = cursor
        for message in messages.sorted(by: { $0.uid < $1.uid }) {
            uids.append(message.uid)
            flags.append(message.flags)
        }
    }

    var count: Int { uids.count }
    var largestUID: UInt32 { uids.last ?? 0 }

    /// The sequence number of `uid`, if the client knows it.
    func sequence(of uid: UInt32) -> Int? {
        var low = 0, high = uids.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if uids[mid] == uid { return mid + 1 }
            if uids[mid] < uid { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    func flags(of uid: UInt32) -> [String]? { sequence(of: uid).map { flags[$0 - 1] } }

    /// Whether the message was expunged by someone else and the client not told yet.
    func isExpunged(_ uid: UInt32) -> Bool { heldExpunges.contains(uid) }

    enum Resolution: Equatable {
        case uids([UInt32])
        /// A sequence number beyond the mailbox: BAD. RFC 9051 §6.4.1
        case outOfRange
    }

    /// The UIDs a set names, ascending. `$` is `saved`; `*` the largest sequence number or UID.
    func resolve(_ set: SequenceSet, uid: Bool, saved: [UInt32]?) -> Resolution {
        guard case .ranges(let ranges) = set else {
            let savedSet = Set(saved ?? [])
            return .uids(uids.filter { savedSet.contains($0) })
        }
        if uid {
            let largest = largestUID
            return .uids(uids.filter { set.contains($0, largest: largest) })
        }
        var picked = Set<Int>()
        for range in ranges {
            let a = Self.number(range.first, largest: count), b = Self.number(range.last, largest: count)
            let low = min(a, b), high = max(a, b)
            if high > count || low == 0 {
                return count == 0 && (range.first == .largest || range.last == .largest) ? .uids([]) : .outOfRange
            }
            for seq in low...high { picked.insert(seq) }
        }
        return .uids(picked.sorted().map { uids[$0 - 1] })
    }

    private static func number(_ n: SequenceSet.Number, largest: Int) -> Int {
        if case .number(let value) = n { return Int(value) }
        return largest
    }

    /// What applying changes gives the client to hear about.
    struct Updates: Sendable {
        /// Sequence number at the moment of removal, and UID, in announcement order.
        var expunged: [(sequence: Int, uid: UInt32)] = []
        var existsChanged = false
        /// UIDs whose flags changed, with their MODSEQ.
        var flagChanges: [(uid: UInt32, modSeq: UInt64)] = []
        var isEmpty: Bool { expunged.isEmpty && !existsChanged && flagChanges.isEmpty }
    }

    /// Applies the account's changes up to `through`; expunges are held back unless allowed.
    mutating func apply(_ changes: [Change], through: UInt64, allowExpunge: Bool) -> Updates {
        var updates = Updates()
        var changed: [UInt32: UInt64] = [:]
        for change in changes where change.modSeq > cursor && change.mailboxID == mailbox.id && !deleted {
            if change.kind == .mailboxDeleted {
                deleted = true
                heldExpunges.formUnion(uids)
                continue
            }
            if change.kind == .mailboxRenamed, let name = change.name { mailbox.name = name }
            guard let uid = change.uid else { continue }
            mailbox.highestModSeq = max(mailbox.highestModSeq, change.modSeq)
            switch change.kind {
            case .added:
                guard sequence(of: uid) == nil, !heldExpunges.contains(uid) else { continue }
                let index = uids.firstIndex { $0 > uid } ?? uids.count
                uids.insert(uid, at: index)
                flags.insert(change.flags ?? [], at: index)
                mailbox.uidNext = max(mailbox.uidNext, uid &+ 1)
                updates.existsChanged = true
            case .flags:
                guard let seq = sequence(of: uid), !heldExpunges.contains(uid) else { continue }
                let new = change.flags ?? []
                if Set(new.map { $0.lowercased() }) != Set(flags[seq - 1].map { $0.lowercased() }) {
                    flags[seq - 1] = new
                    changed[uid] = change.modSeq
                }
            case .expunged:
                if sequence(of: uid) != nil { heldExpunges.insert(uid) }
            default:
                continue
            }
        }
        cursor = max(cursor, through)
        if allowExpunge { updates.expunged = releaseExpunges() }
        updates.flagChanges = changed.filter { sequence(of: $0.key) != nil }.map { ($0.key, $0.value) }.sorted { $0.uid < $1.uid }
        return updates
    }

    /// Removes held expunges from the view, giving each one's sequence number as it goes.
    mutating func releaseExpunges() -> [(sequence: Int, uid: UInt32)] {
        var out: [(sequence: Int, uid: UInt32)] = []
        for uid in heldExpunges.sorted(by: >) {
            guard let seq = sequence(of: uid) else { continue }
            uids.remove(at: seq - 1)
            flags.remove(at: seq - 1)
            out.append((seq, uid))
        }
        heldExpunges = []
        return out
    }

    /// The client was just told these flags (a STORE's or FETCH's answer).
    mutating func noteFlags(_ uid: UInt32, _ new: [String], modSeq: UInt64) {
        guard let seq = sequence(of: uid) else { return }
        flags[seq - 1] = new
        mailbox.highestModSeq = max(mailbox.highestModSeq, modSeq)
    }

    /// The client changed flags with `.SILENT` and was told nothing: it knows only what it
    /// asked for, applied to what it knew. Recording the store's answer instead would hide
    /// another session's change to the same message, which must still be announced.
    mutating func noteSilentChange(_ uid: UInt32, _ operation: FlagUpdateRequest.Operation, _ changed: [String]) {
        guard let seq = sequence(of: uid) else { return }
        let asked = Set(changed.map { $0.lowercased() })
        let known = flags[seq - 1]
        switch operation {
        case .add: flags[seq - 1] = known + changed.filter { flag in !known.contains { $0.lowercased() == flag.lowercased() } }
        case .remove: flags[seq - 1] = known.filter { !asked.contains($0.lowercased()) }
        case .replace: flags[seq - 1] = changed
        }
    }
}
