import IMAPProtocol
import StoreAPI
import StoreClient

/// Telling the client what changed in the selected mailbox — deliveries, other sessions'
/// flags and expunges, POP3 deletions — from the store's change feed. RFC 9051 §7.4, §5.2,
/// RFC 7162 §3.2.10 (VANISHED once QRESYNC is enabled).
extension IMAPSession {
    /// Every change after `since`, following the pages, and the MODSEQ they were read through.
    /// The selected mailbox's feed: the account's own, or a shared mailbox's owner's, read as
    /// the account (RFC 4314), which gets only the changes of what it may read.
    func changes(_ account: String, since: UInt64) async throws -> (changes: [Change], through: UInt64) {
        try await readFeed(sharedSelection?.owner ?? account, reader: sharedSelection == nil ? nil : account, since: since)
    }

    /// Every change of `feed` after `since`, as `reader` sees it (nil: the owner).
    func readFeed(_ feed: String, reader: String?, since: UInt64) async throws -> (changes: [Change], through: UInt64) {
        var out: [Change] = []
        var through = since
        for try await page in store.changePages(feed, since: since, reader: reader) {
            out += page.changes
            through = page.through
        }
        return (out, through)
    }

    /// Reads the feed from the view's position and announces what the client may hear now:
    /// EXPUNGE (or VANISHED) only when `allowExpunge`, then EXISTS, then FETCH FLAGS. Unless
    /// `force`, the feed is not read when the change watcher knows nothing newer happened.
    func announceChanges(allowExpunge: Bool, force: Bool = true) async throws {
        guard let account, var current = view else { return }
        var changes: [Change] = []
        var through = current.cursor
        var mustRead = force
        // The command's own write continued the feed from here: it is the command's moment of
        // sync, as a read just after it would have been, without the read.
        if let own = ownWrite.take(), own.mailbox == current.mailbox.id, own.since == current.cursor {
            (changes, through, mustRead) = (own.changes, own.through, false)
            if let lease { await shared.advance(lease, changes, since: own.since, through: through) }
        }
        // A shared mailbox deleted (or no longer readable) stays so: its owner's feed may now be
        // closed to the account, and nothing in it can concern the view any more.
        var gone = sharedSelection != nil && current.deleted
        if !gone, try await lostReadRight(account, current.mailbox.id, force: mustRead) {
            // RFC 4314 §4, RFC 5465 §5.9: without `r` the mailbox is gone for the account.
            changes.append(Change(modSeq: through + 1, kind: .mailboxDeleted, mailboxID: current.mailbox.id))
            through += 1
            gone = true
        }
        if !gone, mustRead || (watcher.latest(sharedSelection?.owner ?? account) ?? .max) > through {
            let more: [Change]
            let to: UInt64
            do {
                (more, to) = try await self.changes(account, since: through)
            } catch let error as StoreClientError where sharedSelection != nil && error.code == APIErrorCode.userNotFound {
                // No right left on any of the owner's mailboxes (RFC 4314 §4: as if none existed):
                // the selected one is gone for the account, as if deleted (RFC 5465 §5.9).
                (more, to) = ([Change(modSeq: through + 1, kind: .mailboxDeleted, mailboxID: current.mailbox.id)], through + 1)
            }
            // What this session read moves the gateway's shared view along too.
            if let lease, to > through { await shared.advance(lease, more, since: through, through: to) }
            changes += more
            through = to
        }
        guard view?.mailbox.id == current.mailbox.id else { return }
        // RFC 5267 §4.3.4: an expunged result leaves its contexts before its EXPUNGE.
        var touched = contexts.isEmpty ? nil : FeedTouches(changes, mailbox: current.mailbox.id, after: current.cursor)
        if touched?.mailboxDeleted == true { touched?.expunged.formUnion(current.liveUIDs) }
        if let touched { try await announceContextRemovals(touched.expunged, in: current) }
        let before = current.count
        let arrivals = notifyArrivals(changes, in: current)  // RFC 5465 §5.2; none without fetch attributes
        let updates = current.apply(changes, through: through, allowExpunge: allowExpunge)
        view = current
        // RFC 3501 §2.3.2: the first session told of a new message has it as \Recent.
        if updates.existsChanged {
            await claimRecent()
            if let claimed = view, claimed.mailbox.id == current.mailbox.id { current = claimed }
        }
        // Messages added since the client last heard are announced before any EXPUNGE, so
        // that every EXPUNGE names a sequence number the client knows: one added and expunged
        // between two announcements is announced, then expunged (RFC 9051 §7.4.1, §7.5.1).
        let withAdded = current.count + updates.expunged.count
        let addedFirst = !updates.expunged.isEmpty && withAdded > before
        if addedFirst { try await send(.exists(withAdded)) }
        if !updates.expunged.isEmpty {
            if qresyncEnabled {
                try await send(.vanished(earlier: false, uids: updates.expunged.map(\.uid).sorted()))
            } else {
                for expunged in updates.expunged { try await send(.expunge(expunged.sequence)) }
            }
        }
        if !addedFirst && (updates.existsChanged || current.count != before - updates.expunged.count) {
            try await send(.exists(current.count))
        }
        // RFC 3501 §7.3.2: RECENT follows a new size; after the expunges, so that it counts the
        // messages the client now has.
        if updates.existsChanged || addedFirst { try await sendRecentCount() }
        // RFC 3501 §7.2.6: a new keyword is announced before a FETCH shows it.
        if updates.keywordsChanged { try await sendFlagLists() }
        for change in updates.flagChanges {
            guard let seq = current.sequence(of: change.uid), let flags = current.flags(of: change.uid) else { continue }
            var items: [FetchItem] = [.uid(change.uid), .flags(current.clientFlags(change.uid, flags))]
            if condstoreActive { items.append(.modSeq(change.modSeq)) }
            try await send(.fetch(seq, items))
        }
        // RFC 5267 §4.3.3: arrivals join their contexts after EXISTS.
        if let touched { try await announceContextChanges(touched, in: current) }
        // RFC 5465 §5.2: NOTIFY's FETCH of the new messages follows their EXISTS and ADDTO.
        if !arrivals.isEmpty { try await announceNotifyFetches(arrivals) }
    }
}

extension IMAPSession {
    /// Whether a grant in the account's own feed since the selection's last look took `r` on
    /// the selected shared mailbox away. Unless `force` (a command's moment of sync, when the
    /// watcher's long poll may not have heard yet), nothing is read when the watcher knows the
    /// feed has not moved.
    func lostReadRight(_ account: String, _ mailbox: Int64, force: Bool) async throws -> Bool {
        guard var selection = sharedSelection, force || (watcher.latest(account) ?? .max) > selection.grantsRead else { return false }
        let (own, through) = try await readFeed(account, reader: nil, since: selection.grantsRead)
        selection.grantsRead = through
        sharedSelection = selection
        guard let last = own.last(where: { $0.kind == .rights && $0.mailboxID == mailbox }) else { return false }
        return MailboxRights(last.flags?.first ?? "")?.contains(.read) != true
    }
}

/// A write's own changes to the account's feed, from `since` (the feed's head just before it)
/// through `through` (just after): the store answers with both (`FlagUpdateResult`).
struct OwnWrite: Sendable {
    var mailbox: Int64
    var since: UInt64
    var through: UInt64
    var changes: [Change]

    /// A flag update's changes: one for each message it gave a MODSEQ above `feedBefore`.
    init?(_ result: FlagUpdateResult, mailbox: Int64) {
        guard let before = result.feedBefore, let after = result.feedAfter else { return nil }
        self.mailbox = mailbox
        since = before
        through = after
        changes = result.messages.filter { $0.modSeq > before }.sorted { $0.modSeq < $1.modSeq }.map {
            Change(modSeq: $0.modSeq, kind: .flags, mailboxID: mailbox, uid: $0.uid, flags: $0.flags)
        }
    }
}
