import IMAPProtocol
import StoreAPI

/// IMAP4rev1's `\Recent` (RFC 3501 §2.3.2): a message is recent in exactly one session, the
/// first to be told of it with the mailbox selected read-write — at SELECT, or by an EXISTS
/// while selected. The store hands recency out (`claimRecent`: a per-mailbox mark moved in
/// one write), so the rule holds across sessions and gateways. It shows as `* n RECENT` after
/// SELECT and after each EXISTS (RFC 3501 §7.3.2), as `\Recent` in FETCH FLAGS, and to the
/// SEARCH keys RECENT, NEW and OLD (§6.4.4). EXAMINE only reads the mark: it must not take
/// `\Recent` away (§6.3.2). Sessions that ENABLE IMAP4rev2 have no `\Recent` (RFC 9051
/// §2.3.2 drops it) and claim nothing.
extension IMAPSession {
    var recentApplies: Bool { !enabled.contains("IMAP4REV2") }

    /// Claims (or, read-only, reads) the recent messages of the view up to its largest UID.
    /// A store that cannot be reached costs only `\Recent`: the SELECT or the announcement
    /// goes on without it (the messages stay unclaimed, recent for the next session).
    func claimRecent() async {
        guard recentApplies, let account, let current = view else { return }
        let upTo = current.largestUID
        guard upTo > current.recentChecked else { return }
        // The mark only moves up: once a session of this gateway saw it at or past `upTo`,
        // a claim would find nothing recent (a store write saved at every reselect).
        if let lease, await shared.recentMark(lease) >= upTo {
            view?.markRecent(above: upTo, upTo: upTo)
            return
        }
        do {
            let claim = try await store.claimRecent(
                account, mailbox: current.mailbox.id, RecentClaimRequest(upTo: upTo, claim: !current.readOnly))
            if let lease { await shared.noteRecentMark(lease, current.readOnly ? claim.from : max(claim.from, upTo)) }
            guard view?.mailbox.id == current.mailbox.id else { return }
            view?.markRecent(above: claim.from, upTo: upTo)
        } catch {
            logger.error("recent claim failed", metadata: ["error": "\(error)"])
        }
    }

    /// `* n RECENT`, for IMAP4rev1 sessions.
    func sendRecentCount() async throws {
        guard recentApplies, let view else { return }
        try await send(.recent(view.recent.count))
    }
}
