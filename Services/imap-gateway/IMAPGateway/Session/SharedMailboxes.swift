import StoreAPI
import StoreClient

/// One view per open mailbox for all the gateway's sessions: its UIDs, flags and MODSEQs in
/// columns (`MessageColumns`), and how far into the account's change feed they are. The first
/// SELECT lists the mailbox; a SELECT of a mailbox another session has open reads only the
/// feed since the shared view's position (one request, as fresh as the old full listing was).
/// Sessions feed it what they read from the feed when they announce changes.
///
/// A session's `MailboxView` starts from a snapshot of the columns (a copy-on-write copy: no
/// bytes are copied until one side changes) and keeps only its own sequence map and what it
/// told its client that differs from the snapshot.
///
/// A view no session holds is kept for a while (`keep`), within a budget of messages
/// (`keepMessages`), as Dovecot keeps its index files: a client that logs in again, or opens
/// the folder it just left, gets it for a feed catch-up instead of a listing.
actor SharedMailboxes {
    struct Key: Hashable, Sendable {
        var account: String
        var mailbox: Int64
        /// A mailbox deleted and created again may get the same id, never the same UIDVALIDITY.
        var uidValidity: UInt32
        /// Another account's mailbox shared with this one (RFC 4314): `account` is its owner,
        /// whose feed it follows, read as `reader`, whose rights the store checks.
        var reader: String? = nil
    }

    /// The mailbox as of `cursor` (the account-wide MODSEQ the feed was read through).
    struct Snapshot: Sendable {
        var columns = MessageColumns()
        var cursor: UInt64 = 0
        var highestModSeq: UInt64 = 0
        var uidNext: UInt32 = 1
    }

    /// A session's hold on a shared view; `release` it once.
    struct Lease: Sendable, Hashable {
        let key: Key
        let generation: Int
    }

    private struct Entry {
        var snapshot: Snapshot
        var users: Int
        let generation: Int
        /// When the last session let it go: kept until `keep` has passed.
        var unusedSince: ContinuousClock.Instant?
        /// The store's `\Recent` mark as last seen here (it never moves down). RFC 3501 §2.3.2
        var recentMark: UInt32 = 0
    }

    private var entries: [Key: Entry] = [:]
    private var loading: [Key: Task<Snapshot, any Error>] = [:]
    private var generations = 0
    private let store: StoreClient
    private let keep: Duration
    private let keepMessages: Int
    /// Store pages read per feed request.
    static let feedPage = 10_000
    /// What a kept view costs besides its messages (its entry, flag table and arrays, ~3 KB),
    /// counted as this many messages against `keepMessages`: 200,000 empty mailboxes do not fit
    /// a budget meant for 1,000,000 messages.
    static let viewCost = 100

    init(store: StoreClient, keep: Duration = .seconds(300), keepMessages: Int = 1_000_000) {
        self.store = store
        self.keep = keep
        self.keepMessages = keepMessages
    }

    /// Mailboxes held open or kept, for tests and metrics.
    var openCount: Int { entries.count }

    /// Opens the shared view of `key` for one session and gives its current state: read from
    /// the feed up to now, as SELECT must show what a client was told was delivered (the
    /// change watcher may not have heard of it yet) — unless the caller just read the
    /// mailbox's HIGHESTMODSEQ (`changedThrough`, from the listing) and the view is already
    /// past it: every change to a mailbox raises its HIGHESTMODSEQ, so there is nothing to read.
    func open(_ key: Key, changedThrough: UInt64? = nil, uidNext: UInt32 = 0) async throws -> (Lease, Snapshot) {
        trim()
        if entries[key] == nil {
            let task: Task<Snapshot, any Error>
            if let pending = loading[key] {
                task = pending
            } else {
                task = Task { [store] in try await Self.load(store, key, uidNext: uidNext) }
                loading[key] = task
            }
            let loaded: Snapshot
            do {
                loaded = try await task.value
            } catch {
                loading[key] = nil
                throw error
            }
            loading[key] = nil
            if entries[key] == nil {
                generations += 1
                entries[key] = Entry(snapshot: loaded, users: 0, generation: generations)
            }
        }
        guard let generation = entries[key]?.generation else { throw SharedMailboxError.gone }
        entries[key]?.users += 1
        entries[key]?.unusedSince = nil
        let lease = Lease(key: key, generation: generation)
        do {
            if let changedThrough, let cursor = entries[key]?.snapshot.cursor, cursor >= changedThrough {
                // Current already.
            } else {
                try await catchUp(key)
            }
        } catch {
            release(lease)
            throw error
        }
        // A deletion read by the catch-up ends the entry; the session still gets what was read.
        guard let snapshot = entries[key]?.snapshot else { throw SharedMailboxError.gone }
        return (lease, snapshot)
    }

    /// The session no longer has the mailbox selected; once the last one leaves, the view is
    /// kept for `keep`.
    func release(_ lease: Lease) {
        guard let entry = entries[lease.key], entry.generation == lease.generation, entry.users > 0 else { return }
        entries[lease.key]?.users -= 1
        if entry.users == 1 { entries[lease.key]?.unusedSince = .now }
        trim()
    }

    /// Lets go of unused views kept longer than `keep`, then of the longest unused until those
    /// left hold at most `keepMessages` messages (each view counting `viewCost` more). It runs
    /// at every open and release: on a gateway nobody uses, views may outlive `keep`, but
    /// never the budget.
    private func trim() {
        let now = ContinuousClock.now
        var unused: [(key: Key, since: ContinuousClock.Instant, messages: Int)] = []
        for (key, entry) in entries {
            guard let since = entry.unusedSince else { continue }
            if now - since >= keep {
                entries[key] = nil
            } else {
                unused.append((key, since, entry.snapshot.columns.count + Self.viewCost))
            }
        }
        var kept = unused.reduce(0) { $0 + $1.messages }
        for view in unused.sorted(by: { $0.since < $1.since }) where kept > keepMessages {
            entries[view.key] = nil
            kept -= view.messages
        }
    }

    /// The mailbox's `\Recent` mark as a session of this gateway last saw it: at most the store's.
    func recentMark(_ lease: Lease) -> UInt32 {
        guard let entry = entries[lease.key], entry.generation == lease.generation else { return 0 }
        return entry.recentMark
    }

    func noteRecentMark(_ lease: Lease, _ mark: UInt32) {
        guard let entry = entries[lease.key], entry.generation == lease.generation else { return }
        entries[lease.key]?.recentMark = max(entry.recentMark, mark)
    }

    /// Changes a session read from the feed, from `since` through `through`: applied when they
    /// continue the shared view's position (a gap would lose changes, so then they are not).
    func advance(_ lease: Lease, _ changes: [Change], since: UInt64, through: UInt64) {
        guard let entry = entries[lease.key], entry.generation == lease.generation, since <= entry.snapshot.cursor else { return }
        apply(lease.key, changes, through: through)
    }

    /// Reads the feed from the shared view's position to now.
    private func catchUp(_ key: Key) async throws {
        guard let cursor = entries[key]?.snapshot.cursor else { return }
        for try await page in store.changePages(key.account, since: cursor, limit: Self.feedPage, reader: key.reader) {
            // Another catch-up may have moved past this page's start meanwhile: apply skips what it
            // holds. A gap (the view gone, or behind the page) stops here.
            guard let now = entries[key]?.snapshot.cursor, now >= page.from else { return }
            apply(key, page.changes, through: page.through)
        }
    }

    private func apply(_ key: Key, _ changes: [Change], through: UInt64) {
        guard var entry = entries[key] else { return }
        entries[key] = nil  // the columns stay uniquely referenced while they change
        let removed = Self.apply(&entry.snapshot, key, changes, through: through)
        if !removed { entries[key] = entry }
    }

    /// Returns true when the mailbox was deleted.
    private static func apply(_ snapshot: inout Snapshot, _ key: Key, _ changes: [Change], through: UInt64) -> Bool {
        for change in changes where change.modSeq > snapshot.cursor && change.mailboxID == key.mailbox {
            if change.kind == .mailboxDeleted { return true }
            guard let uid = change.uid else { continue }
            snapshot.highestModSeq = max(snapshot.highestModSeq, change.modSeq)
            switch change.kind {
            case .added:
                snapshot.columns.upsert(uid: uid, modSeq: change.modSeq, flags: change.flags ?? [])
                snapshot.uidNext = max(snapshot.uidNext, uid &+ 1)
            case .flags:
                snapshot.columns.setFlags(uid: uid, modSeq: change.modSeq, flags: change.flags ?? [])
            case .expunged:
                snapshot.columns.remove(uid: uid)
            default:
                continue
            }
        }
        snapshot.cursor = max(snapshot.cursor, through)
        return false
    }

    /// The first open: the feed's head, the listing (in parts at once when `uidNext` says the
    /// mailbox is big), then the changes that raced the listing (applying one the listing
    /// already shows again is harmless).
    private static func load(_ store: StoreClient, _ key: Key, uidNext: UInt32) async throws -> Snapshot {
        let head = try await store.feedHead(key.account, reader: key.reader)
        var snapshot = Snapshot()
        snapshot.columns = try await store.messageColumns(key.reader ?? key.account, mailbox: key.mailbox, uidNext: uidNext)
        snapshot.cursor = head
        snapshot.highestModSeq = snapshot.columns.highestModSeq
        snapshot.uidNext = snapshot.columns.largestUID &+ 1
        for try await page in store.changePages(key.account, since: head, limit: feedPage, reader: key.reader) {
            if apply(&snapshot, key, page.changes, through: page.through) { throw SharedMailboxError.gone }
        }
        return snapshot
    }
}

enum SharedMailboxError: Error {
    /// The mailbox was deleted while it was being opened.
    case gone
}
