import IMAPProtocol
import Logging
import StoreAPI
import StoreClient

/// Updating contexts (RFC 5267 §4.3): SEARCH and SORT with `RETURN (UPDATE)` keep their
/// result, and the session tells the client how it changes as it announces the mailbox's
/// changes (Announce.swift): REMOVEFROM for expunged results before the EXPUNGE (§4.3.4),
/// then, after EXISTS, ADDTO and REMOVEFROM for the messages that arrived or whose flags
/// changed (§4.3.3). The store answers only for those messages: a SEARCH restricted to their
/// UIDs says which match; for SORT, `InsertionSearch` finds where each new one goes with a
/// few small store SORTs instead of sorting the whole result again.
///
/// ```
/// C: a1 UID SEARCH RETURN (UPDATE) UNSEEN
/// S: * ESEARCH (TAG "a1") UID ALL 3:5
/// S: a1 OK SEARCH completed
/// …another session marks 4 \Seen, a message 6 arrives…
/// S: * ESEARCH (TAG "a1") UID REMOVEFROM (0 4)
/// S: * 6 EXISTS
/// S: * ESEARCH (TAG "a1") UID ADDTO (0 6)
/// ```
/// Contexts end with CANCELUPDATE (§4.3.5) or when the mailbox is closed or another selected.
extension IMAPSession {
    /// Whether a search with these options may start a context: BAD when its tag already
    /// names one (§4.3: "SHALL result in the server rejecting the searching command with a
    /// BAD response").
    func contextTagInUse(_ tag: String) -> Bool { contexts.contains { $0.tag == tag } }

    /// Whether the search may keep a context; if the session holds its limit, or the result is
    /// over the size a context keeps, `* NO [NOUPDATE "tag"]` says not, before the answer
    /// (§4.3.1: the command still succeeds).
    func admitsContext(_ tag: String, resultSize: Int) async throws -> Bool {
        guard contexts.count < settings.maxUpdateContexts else {
            try await send(.untagged(.no, .noUpdate(tag), "Too many updating searches; CANCELUPDATE one"))
            return false
        }
        guard resultSize <= settings.maxUpdateResult else {
            try await send(.untagged(.no, .noUpdate(tag), "Result too large to keep updating"))
            return false
        }
        return true
    }

    /// CANCELUPDATE: the named contexts stop. RFC 5267 §4.3.5
    func cancelUpdate(_ tags: [String]) -> Completion {
        let unknown = tags.filter { !contextTagInUse($0) }
        contexts.removeAll { tags.contains($0.tag) }
        return unknown.isEmpty ? .ok("CANCELUPDATE completed") : .no("No updating search with that tag")
    }

    /// REMOVEFROM for results the feed says were expunged, while `view` (not yet applied)
    /// still numbers them: before their EXPUNGE (§4.3.4).
    func announceContextRemovals(_ expunged: Set<UInt32>, in view: MailboxView) async throws {
        guard !expunged.isEmpty else { return }
        for index in contexts.indices {
            let updates = contexts[index].remove(expunged)
            try await sendContextUpdates(contexts[index], updates, in: view)
        }
    }

    /// After EXISTS and flag updates: asks the store about the messages that arrived or whose
    /// flags changed, and tells each context's client what entered or left its result.
    func announceContextChanges(_ touched: FeedTouches, in view: MailboxView) async throws {
        guard let account, !contexts.isEmpty else { return }
        let known = { (uid: UInt32) in view.sequence(of: uid) != nil && !view.isExpunged(uid) }
        let arrived = touched.added.filter(known)
        let flagged = touched.flagsChanged.filter(known)
        for tag in contexts.map(\.tag) {
            guard let context = contexts.first(where: { $0.tag == tag }) else { continue }
            let asked = (context.watchesFlags ? arrived.union(flagged) : arrived).sorted()
            guard !asked.isEmpty else { continue }
            let uids = UIDSetCompression.sorted(asked)
            let matched: [UInt32]
            var leaving: Set<UInt32> = []
            var entering: [UInt32] = []
            var places: [Int] = []
            do {
                switch context.order {
                case .mailbox:
                    matched = try await store.search(account, mailbox: view.mailbox.id, SearchRequest(query: context.query, uids: uids))
                        .uids
                case .sorted(let keys):
                    matched = try await store.sort(
                        account, mailbox: view.mailbox.id, SortRequest(query: context.query, criteria: keys, uids: uids)
                    ).uids
                }
                let matching = Set(matched)
                leaving = Set(asked.filter { context.contains($0) && !matching.contains($0) })
                entering = matched.filter { !context.contains($0) && known($0) }
                if case .sorted(let keys) = context.order, !entering.isEmpty {
                    // Where they go among the results that stay.
                    var staying = context
                    _ = staying.remove(leaving)
                    places = try await InsertionSearch.places(of: entering, in: staying.result) { [store] subset in
                        try await store.sort(
                            account, mailbox: view.mailbox.id,
                            SortRequest(query: .all, criteria: keys, uids: UIDSetCompression.sorted(subset))
                        ).uids
                    }
                }
            } catch let error as StoreClientError {
                // These changes will not be asked about again (the view has moved past them):
                // rather than keep a result that is silently wrong, the context ends and the
                // client is told so (§4.3.1: NOUPDATE when the server stops updating).
                logger.warning("updating search dropped", metadata: ["tag": "\(tag)", "error": "\(error)"])
                contexts.removeAll { $0.tag == tag }
                try await send(.untagged(.no, .noUpdate(tag), "Updates stopped; search again"))
                continue
            }
            guard let index = contexts.firstIndex(where: { $0.tag == tag }) else { continue }
            var updates = contexts[index].remove(leaving)
            if case .sorted = context.order {
                updates += contexts[index].insert(entering, at: places)
            } else {
                updates += contexts[index].add(entering)
            }
            try await sendContextUpdates(contexts[index], updates, in: view)
        }
    }

    /// One ESEARCH with the items, in UIDs or in `view`'s sequence numbers (§4.3.2).
    private func sendContextUpdates(_ context: SearchContext, _ updates: [ContextUpdate], in view: MailboxView) async throws {
        guard !updates.isEmpty else { return }
        var answer = ESearch(tag: context.tag, uid: context.uid)
        answer.updates =
            context.uid
            ? updates
            : updates.map { ContextUpdate($0.kind, position: $0.position, view.numbers($0.numbers, asUIDs: false)) }
        try await send(.esearch(answer))
    }
}
