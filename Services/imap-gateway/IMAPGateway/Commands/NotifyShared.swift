import IMAPProtocol
import StoreAPI
import StoreClient

/// What one batch of feed changes makes NOTIFY say: the mailboxes to send STATUS of, and the
/// LIST and METADATA responses, in the order of the changes.
struct NotifyBatch {
    var statusOf: [Int64] = []
    var responses: [IMAPResponse] = []
    var subscriptionsRead = false
    /// The account's mailboxes by name, read once a batch for SubscriptionChange's LIST.
    var boxes: [String: MailboxInfo]?
}

/// NOTIFY (RFC 5465) over shared mailboxes (RFC 4314, the Other Users namespace): the owners'
/// feeds read as the account, and grants that make a mailbox appear or go (§5.4, §5.9); and the
/// LIST of SubscriptionChange with its attributes computed as LIST does (§5.5).
extension IMAPSession {
    /// Reads the feed of every owner of a watched shared mailbox (one read each), starting at
    /// the head for an owner newly watched, and lets go of owners no longer watched.
    func readOwnerFeeds(_ state: inout NotifyState, _ batch: inout NotifyBatch, force: Bool) async throws {
        guard let account else { return }
        let watched = state.watchedOwners
        for owner in state.ownerCursors.keys where !watched.contains(owner) { state.ownerCursors[owner] = nil }
        for owner in watched.sorted() {
            do {
                guard let cursor = state.ownerCursors[owner] else {
                    state.ownerCursors[owner] = try await store.feedHead(owner, reader: account)
                    continue
                }
                guard force || (watcher.latest(owner) ?? .max) > cursor else { continue }
                let (changes, through) = try await readFeed(owner, reader: account, since: cursor)
                state.ownerCursors[owner] = max(cursor, through)
                for change in changes { try await note(change, from: owner, &state, &batch) }
            } catch let error as StoreClientError where error.code == APIErrorCode.userNotFound {
                // No right left on any of the owner's mailboxes: the revocation comes in the
                // account's own feed (`mailbox-rights`), the deletion just before this.
                continue
            }
        }
    }

    /// A grant to the account changed: gaining `l` on another's mailbox is its creation for the
    /// account, losing it its deletion (RFC 5465 §5.4); monitoring starts and stops with it (§5.9).
    func noteRights(_ change: Change, _ state: inout NotifyState, _ batch: inout NotifyBatch) {
        guard let label = change.name, let cut = label.firstIndex(of: "/") else { return }
        let owner = String(label[..<cut])
        let name = SharedNamespace.name(owner: owner, String(label[label.index(after: cut)...]), delimiter: Self.delimiter)
        let held = MailboxRights(change.flags?.first ?? "") ?? []
        let id = change.mailboxID
        if held.contains(.lookup), state.owners[id] == nil {
            state.names[id] = name
            state.owners[id] = owner
            if state.wants(name, { $0 == .mailboxName }) {
                batch.responses.append(.list(ListEntry(attributes: [], delimiter: Self.delimiter, name: MailboxName(name))))
            }
        } else if !held.contains(.lookup), state.owners[id] != nil {
            let known = state.names.removeValue(forKey: id) ?? name
            state.owners[id] = nil
            batch.statusOf.removeAll { $0 == id }
            if state.wants(known, { $0 == .mailboxName }) {
                batch.responses.append(.list(ListEntry(attributes: ["\\NonExistent"], delimiter: Self.delimiter, name: MailboxName(known))))
            }
        }
    }

    /// SubscriptionChange's LIST: "all mailbox attributes MUST be accurately computed" (RFC 5465
    /// §5.5), as LIST computes them (\HasChildren or \HasNoChildren, special use, \NonExistent
    /// for a name no mailbox has), with \Subscribed when subscribed.
    func subscriptionEntry(_ name: String, _ state: NotifyState, _ batch: inout NotifyBatch) async throws -> ListEntry {
        guard let account else { return ListEntry(attributes: [], delimiter: Self.delimiter, name: MailboxName(name)) }
        if batch.boxes == nil {
            let listed = try await store.listMailboxes(account, counts: false)
            batch.boxes = Dictionary(listed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let boxes = batch.boxes ?? [:]
        // Shared mailboxes are known by name here only as NOTIFY follows them.
        let names = Set(boxes.keys).union(state.owners.keys.compactMap { state.names[$0] })
        var attributes = Self.listAttributes(name, box: boxes[name], exists: names.contains(name), names: names)
        if state.subscribed.contains(name) { attributes.append("\\Subscribed") }
        return ListEntry(attributes: attributes, delimiter: Self.delimiter, name: MailboxName(name))
    }
}
