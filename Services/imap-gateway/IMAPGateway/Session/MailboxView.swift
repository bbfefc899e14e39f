import IMAPProtocol
import StoreAPI

/// What one session has told its client about the selected mailbox: the UIDs in sequence
/// order and their flags, and how far into the account's change feed it has read. RFC 9051
/// §2.3.1.2: sequence numbers change only when the session announces an EXPUNGE, so the view
/// changes only through `apply`, at the moments the session may announce.
///
/// The flags are the shared snapshot's (`base`, the mailbox as it was at SELECT, shared with
/// the gateway's other sessions) unless the client was told otherwise since (`told`): a
/// session owns only its sequence map and what it was told.
struct MailboxView: Sendable {
    var mailbox: MailboxInfo
    let readOnly: Bool
    /// UIDs in ascending order: index + 1 is the sequence number.
    private(set) var uids: [UInt32]
    /// The mailbox at SELECT (shared, copy-on-write): flags and MODSEQs of the messages in it.
    let base: MessageColumns
    /// Flags the client was told that differ from `base` (or of messages added since).
    private var told: [UInt32: [String]] = [:]
    /// The account-wide MODSEQ up to which the change feed has been applied.
    var cursor: UInt64
    /// Expunged in the store but not yet announced (during FETCH, STORE, SEARCH: RFC 9051 §7.5.1).
    private(set) var heldExpunges: Set<UInt32> = []
    /// Another session deleted the mailbox: every message is gone, and nothing that happens
    /// later under its id (the store may give a new mailbox the same id) belongs to this view.
    private(set) var deleted = false
    /// The keywords the client was told of in FLAGS and PERMANENTFLAGS, in the order they
    /// appeared: those in use at SELECT, then each new one as it shows up. RFC 3501 §7.2.6
    private(set) var keywords: [String]
    private var keywordNames: Set<String>
    /// Messages recent in this session (IMAP4rev1 `\Recent`, claimed from the store: no other
    /// session sees them so). RFC 3501 §2.3.2
    private(set) var recent: Set<UInt32> = []

    init(mailbox: MailboxInfo, readOnly: Bool, cursor: UInt64, base: MessageColumns) {
        self.mailbox = mailbox
        self.readOnly = readOnly
        self.cursor = cursor
        self.base = base
        self.uids = base.uids
        self.keywords = Self.keywordsInUse(base)
        self.keywordNames = Set(keywords.map { $0.lowercased() })
    }

    /// The keywords some message of `columns` has, in flag-table order: one pass over the
    /// messages' flag-set indexes, then over the distinct sets in use.
    static func keywordsInUse(_ columns: MessageColumns) -> [String] {
        var used = [Bool](repeating: false, count: columns.flagTable.count)
        for id in columns.flagSets { used[Int(id)] = true }
        var seen = Set<String>()
        var out: [String] = []
        for (id, flags) in columns.flagTable.enumerated() where used[id] {
            for flag in flags where !flag.hasPrefix("\\") && seen.insert(flag.lowercased()).inserted { out.append(flag) }
        }
        return out
    }

    /// Adds the keywords of `flags` the client was not told of; true when there were any (the
    /// client must then hear FLAGS and PERMANENTFLAGS again). Keywords compare without case.
    mutating func learnKeywords(_ flags: [String]) -> Bool {
        var added = false
        for flag in flags where !flag.hasPrefix("\\") && keywordNames.insert(flag.lowercased()).inserted {
            keywords.append(flag)
            added = true
        }
        return added
    }

    /// Whether the client was told of every keyword in `flags` (cheap: most messages have none).
    func knowsKeywords(_ flags: [String]) -> Bool {
        flags.allSatisfy { $0.hasPrefix("\\") || keywordNames.contains($0.lowercased()) }
    }

    /// How many of `flags` are keywords the mailbox does not have yet.
    func newKeywords(_ flags: [String]) -> Int {
        Set(flags.filter { !$0.hasPrefix("\\") }.map { $0.lowercased() }).subtracting(keywordNames).count
    }

    /// Makes the view's UIDs above `from` and up to `upTo` recent in this session (a claim's answer).
    mutating func markRecent(above from: UInt32, upTo: UInt32) {
        // From the top down: an arrival's claim looks at the new UIDs only, not the whole mailbox.
        for uid in uids.reversed() {
            if uid <= from { break }
            if uid <= upTo { recent.insert(uid) }
        }
        recentChecked = max(recentChecked, upTo)
    }

    /// The largest UID a claim covered: arrivals above it are still to be claimed.
    private(set) var recentChecked: UInt32 = 0

    /// A message's flags as the client sees them: with `\Recent` when it is recent here.
    func clientFlags(_ uid: UInt32, _ flags: [String]) -> [String] {
        recent.contains(uid) ? flags + ["\\Recent"] : flags
    }

    init(mailbox: MailboxInfo, readOnly: Bool, cursor: UInt64, messages: [MessageSummary]) {
        var columns = MessageColumns()
        for message in messages.sorted(by: { $0.uid < $1.uid }) {
            columns.append(
                uid: message.uid, modSeq: message.modSeq, flags: message.flags, size: message.size, internalDate: message.internalDate)
        }
        self.init(mailbox: mailbox, readOnly: readOnly, cursor: cursor, base: columns)
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

    func flags(of uid: UInt32) -> [String]? {
        guard sequence(of: uid) != nil else { return nil }
        return known(uid)
    }

    /// A message's flags as the client knows them, with its size and internal date from the
    /// snapshot: what `FETCH (UID FLAGS RFC822.SIZE INTERNALDATE)` needs, without the store.
    /// nil for a message not in the view, or, `withSizeAndDate`, one whose size is not held
    /// (added to the mailbox after the listing: the feed does not carry sizes); without it,
    /// size and date are 0. The content id is not held either: 0.
    func summary(of uid: UInt32, withSizeAndDate: Bool = true) -> MessageSummary? {
        guard sequence(of: uid) != nil else { return nil }
        let at = base.index(of: uid)
        let sized = at.flatMap { base.sizeAndDate(at: $0) }
        if withSizeAndDate && sized == nil { return nil }
        return MessageSummary(
            uid: uid, size: sized?.size ?? 0, flags: known(uid), internalDate: sized?.internalDate ?? 0,
            modSeq: at.map { base.modSeqs[$0] } ?? 0, contentID: 0)
    }

    /// What a FETCH answered from memory needs of each message of `wanted` (ascending, as
    /// `resolve` gives them) that the view holds, in order: its sequence number, its place in
    /// the snapshot, and its flags as the client sees them when they are not the snapshot's
    /// flag set (told since, or `\Recent` here). The view and the snapshot are walked side by
    /// side from the first message's place: no search per message.
    func eachHeld(
        _ wanted: some Collection<UInt32>, _ body: (_ sequence: Int, _ uid: UInt32, _ at: Int?, _ ownFlags: [String]?) throws -> Void
    ) rethrows {
        guard let first = wanted.first else { return }
        var seq = Self.lowerBound(uids, first), at = Self.lowerBound(base.uids, first)
        var previous: UInt32 = 0
        for uid in wanted {
            if uid < previous { (seq, at) = (Self.lowerBound(uids, uid), Self.lowerBound(base.uids, uid)) }
            previous = uid
            while seq < uids.count && uids[seq] < uid { seq += 1 }
            guard seq < uids.count, uids[seq] == uid else { continue }
            while at < base.count && base.uids[at] < uid { at += 1 }
            let held = at < base.count && base.uids[at] == uid ? at : nil
            var own = told.isEmpty ? nil : told[uid]
            if held == nil && own == nil { own = [] }
            if !recent.isEmpty && recent.contains(uid) { own = (own ?? base.flags(at: at)) + ["\\Recent"] }
            try body(seq + 1, uid, held, own)
        }
    }

    /// The first index of `sorted` whose UID is not below `uid`.
    private static func lowerBound(_ sorted: [UInt32], _ uid: UInt32) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < uid { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Flags the client was told since SELECT that name a keyword it has not heard of in FLAGS:
    /// those of the snapshot were all listed at SELECT. RFC 3501 §7.2.6
    var toldWithUnknownKeywords: [[String]] { told.values.filter { !knowsKeywords($0) } }

    /// What the client was told of a message in the view.
    private func known(_ uid: UInt32) -> [String] {
        if let flags = told[uid] { return flags }
        return base.index(of: uid).map { base.flags(at: $0) } ?? []
    }

    /// The sequence number of the first message without \Seen. RFC 3501 §7.1 UNSEEN
    func firstUnseen() -> Int? {
        var at = 0  // walks `base` alongside `uids`: both ascending
        for (index, uid) in uids.enumerated() {
            let flags: [String]
            if let own = told[uid] {
                flags = own
            } else {
                while at < base.count && base.uids[at] < uid { at += 1 }
                flags = at < base.count && base.uids[at] == uid ? base.flags(at: at) : []
            }
            if !flags.contains(MessageFlag.seen) { return index + 1 }
        }
        return nil
    }

    /// Messages of the view changed after `modSeq` as of SELECT: QRESYNC's changed list.
    /// RFC 7162 §3.2.5
    func changedSinceSelect(_ modSeq: UInt64) -> [(sequence: Int, uid: UInt32, flags: [String], modSeq: UInt64)] {
        base.uids.indices.compactMap { index in
            guard base.modSeqs[index] > modSeq, let seq = sequence(of: base.uids[index]) else { return nil }
            return (seq, base.uids[index], known(base.uids[index]), base.modSeqs[index])
        }
    }

    /// Whether the message was expunged by someone else and the client not told yet.
    func isExpunged(_ uid: UInt32) -> Bool { heldExpunges.contains(uid) }

    /// The UIDs the client knows and that still exist: what SEARCH, SORT and THREAD ask about.
    var liveUIDs: [UInt32] { heldExpunges.isEmpty ? uids : uids.filter { !isExpunged($0) } }

    /// A store's answer (UIDs, in its order) as the client numbers it: the UIDs it knows, or
    /// their sequence numbers; UIDs it has not been told of are left out.
    func numbers(_ answer: [UInt32], asUIDs: Bool) -> [UInt32] {
        asUIDs ? answer.filter { sequence(of: $0) != nil } : answer.compactMap { sequence(of: $0).map(UInt32.init) }
    }

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
        // The ranges sorted and merged, then the view's UIDs copied a span at a time: `1:*` of
        // 100,000 messages is one copy, not 100,000 set insertions and a sort.
        var spans: [ClosedRange<Int>] = []
        for range in ranges {
            let a = Self.number(range.first, largest: count), b = Self.number(range.last, largest: count)
            let low = min(a, b), high = max(a, b)
            if high > count || low == 0 {
                return count == 0 && (range.first == .largest || range.last == .largest) ? .uids([]) : .outOfRange
            }
            spans.append(low...high)
        }
        spans.sort { $0.lowerBound < $1.lowerBound }
        var picked: [UInt32] = []
        var next = 1  // the first sequence number not taken yet
        for span in spans where span.upperBound >= next {
            picked += uids[(max(span.lowerBound, next) - 1)..<span.upperBound]
            next = span.upperBound + 1
        }
        return .uids(picked)
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
        /// A keyword the client was not told of appeared: FLAGS and PERMANENTFLAGS again.
        var keywordsChanged = false
        var isEmpty: Bool { expunged.isEmpty && !existsChanged && flagChanges.isEmpty && !keywordsChanged }
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
                // New UIDs are above every other (RFC 9051 §2.3.1.1): appended, not searched for,
                // so 50,000 copied in while the mailbox is open do not cost n² steps.
                if uid > largestUID {
                    uids.append(uid)
                } else {
                    uids.insert(uid, at: uids.firstIndex { $0 > uid } ?? uids.count)
                }
                told[uid] = change.flags ?? []
                if learnKeywords(change.flags ?? []) { updates.keywordsChanged = true }
                mailbox.uidNext = max(mailbox.uidNext, uid &+ 1)
                updates.existsChanged = true
            case .flags:
                guard sequence(of: uid) != nil, !heldExpunges.contains(uid) else { continue }
                let new = change.flags ?? []
                if Set(new.map { $0.lowercased() }) != Set(known(uid).map { $0.lowercased() }) {
                    if learnKeywords(new) { updates.keywordsChanged = true }
                    told[uid] = new
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
            told[uid] = nil
            recent.remove(uid)
            out.append((seq, uid))
        }
        heldExpunges = []
        return out
    }

    /// The client was just told these flags (a STORE's or FETCH's answer).
    mutating func noteFlags(_ uid: UInt32, _ new: [String], modSeq: UInt64) {
        guard sequence(of: uid) != nil else { return }
        told[uid] = new
        mailbox.highestModSeq = max(mailbox.highestModSeq, modSeq)
    }

    /// The client changed flags with `.SILENT` and was told nothing: it knows only what it
    /// asked for, applied to what it knew. Recording the store's answer instead would hide
    /// another session's change to the same message, which must still be announced.
    mutating func noteSilentChange(_ uid: UInt32, _ operation: FlagUpdateRequest.Operation, _ changed: [String]) {
        guard sequence(of: uid) != nil else { return }
        let asked = Set(changed.map { $0.lowercased() })
        let current = known(uid)
        switch operation {
        case .add: told[uid] = current + changed.filter { flag in !current.contains { $0.lowercased() == flag.lowercased() } }
        case .remove: told[uid] = current.filter { !asked.contains($0.lowercased()) }
        case .replace: told[uid] = changed
        }
    }
}
