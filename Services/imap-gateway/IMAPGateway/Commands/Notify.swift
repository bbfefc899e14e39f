import IMAPProtocol
import StoreAPI
import StoreClient

/// NOTIFY: authenticated and selected states. RFC 5465.
///
/// ```
/// C: a1 NOTIFY SET STATUS (PERSONAL (MessageNew MessageExpunge MailboxName))
/// S: * STATUS Archive (MESSAGES 3 UIDNEXT 7 UIDVALIDITY 1700000000)
/// S: a1 OK NOTIFY completed
/// C: a2 IDLE
/// S: + idling
///   …a message is delivered to Archive…
/// S: * STATUS Archive (MESSAGES 4 UIDNEXT 8 UNSEEN 1)
/// ```
/// Events come from the account's change feed (one long poll per gateway, ChangeWatcher):
/// message events of mailboxes other than the selected one as STATUS, MailboxName and
/// SubscriptionChange as LIST, metadata changes as unsolicited METADATA (RFC 5464 §4.4.2).
/// They go out while the client is in IDLE, and before the tagged response of any command
/// (RFC 5465 §5: not in the middle of a command's own responses). The selected mailbox is
/// announced as without NOTIFY: EXISTS, FETCH FLAGS at once, EXPUNGE only where a command
/// allows it (what SELECTED-DELAYED asks; SELECTED may have them sooner, §6). MessageNew's
/// FETCH attributes follow each new message's EXISTS (Session/NotifyFetch.swift, §5.2);
/// AnnotationChange is `[BADEVENT]` (no per-message annotations, RFC 5257, are kept).
extension IMAPSession {
    /// The events this server supports, as `[BADEVENT]` lists them. RFC 5465 §5. Not
    /// AnnotationChange: it is about per-message annotations (ANNOTATE, RFC 5257), which are
    /// not kept, so it is refused as an unsupported event (§5.5), as Dovecot does.
    static let notifyEvents = [
        "MessageNew", "MessageExpunge", "FlagChange", "MailboxName", "SubscriptionChange", "MailboxMetadataChange",
        "ServerMetadataChange",
    ]

    func notify(_ spec: NotifySpec?) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        guard let spec else {
            notifyState = nil
            return .ok("NOTIFY completed")
        }
        // RFC 5465 §3: an event the server does not support is NO [BADEVENT].
        let unknown = spec.groups.contains { group in
            group.events.contains { event in
                if case .other = event { return true }
                return event == .annotationChange
            }
        }
        if unknown {
            return .no("Unsupported event", .badEvent(Self.notifyEvents))
        }
        // RFC 5465 §5: MessageNew and MessageExpunge go together, and FlagChange and
        // AnnotationChange need both; the selected mailbox is named once.
        for group in spec.groups where group.events.contains(where: \.isMessageEvent) {
            let new = group.events.contains { event in
                if case .messageNew = event { return true }
                return false
            }
            guard new, group.events.contains(.messageExpunge) else { return .bad("MessageNew and MessageExpunge go together") }
        }
        if spec.groups.filter({ $0.filter.isSelected }).count > 1 { return .bad("SELECTED given more than once") }
        // RFC 5465 §6.1: SELECTED and SELECTED-DELAYED take message events only, and only they
        // take MessageNew's fetch attributes (§5.1).
        for group in spec.groups {
            if group.filter.isSelected, group.events.contains(where: { !$0.isMessageEvent }) {
                return .bad("Only message events go with SELECTED")
            }
            let fetches = group.events.contains { event in
                if case .messageNew(let attributes) = event { return !attributes.isEmpty }
                return false
            }
            if fetches, !group.filter.isSelected { return .bad("Fetch attributes go with SELECTED only") }
        }
        let head = try await store.feedHead(account)
        let boxes = try await store.listMailboxes(account, counts: spec.status)
        var state = NotifyState(
            spec: spec, cursor: head, names: Dictionary(boxes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), subscribed: [])
        if state.needsSubscriptions { state.subscribed = Set(try await store.listSubscriptions(account)) }
        // Mailboxes others share with the account, only when a filter can name them.
        let shared = state.reachesShared ? try await sharedMailboxList() : []
        for (info, rights) in shared where MailboxRights(rights)?.contains(.lookup) == true {
            state.names[info.id] = info.name
            state.owners[info.id] = SharedNamespace.split(info.name, delimiter: Self.delimiter)?.owner
        }
        for owner in state.watchedOwners { state.ownerCursors[owner] = try? await store.feedHead(owner, reader: account) }
        notifyState = state
        // RFC 5465 §3.1: STATUS of every mailbox with message events, the selected one aside.
        if spec.status {
            var watched = boxes.filter { $0.id != view?.mailbox.id && state.wants($0.name, \.isMessageEvent) }
            for (info, _) in shared where info.id != view?.mailbox.id && state.wants(info.name, \.isMessageEvent) {
                // Counted on its own, without `r` not at all (RFC 4314 §4).
                guard var counted = try? await store.mailbox(account, id: info.id) else { continue }
                counted.name = info.name
                watched.append(counted)
            }
            for box in watched {
                var items = [
                    StatusItem("MESSAGES", UInt64(box.messages)), StatusItem("UIDNEXT", UInt64(box.uidNext)),
                    StatusItem("UIDVALIDITY", UInt64(box.uidValidity)),
                ]
                if condstoreActive || state.wants(box.name, { $0 == .flagChange }) {
                    items.append(StatusItem("HIGHESTMODSEQ", box.highestModSeq))
                }
                try await send(.status(MailboxName(box.name), items))
            }
        }
        return .ok("NOTIFY completed")
    }

    /// Sends what NOTIFY asked to hear of the changes since the session's position in the feeds:
    /// the account's own, then the owners' of the shared mailboxes it watches.
    /// Too many mailboxes to report at once: `* OK [NOTIFICATIONOVERFLOW]` and notifications
    /// stop, as after NOTIFY NONE (RFC 5465 §5.8). Unless `force` (NOOP and the like: the client
    /// asked for news), a feed is not read when the change watcher knows of nothing newer.
    func announceNotifications(force: Bool = false) async throws {
        guard let account, var state = notifyState else { return }
        let ownNews = force || (watcher.latest(account) ?? .max) > state.cursor
        let ownerNews = state.ownerCursors.contains { owner, cursor in force || (watcher.latest(owner) ?? .max) > cursor }
        guard ownNews || ownerNews || state.ownerCursors.keys.sorted() != state.watchedOwners.sorted() else { return }
        var batch = NotifyBatch()
        if ownNews {
            let (changes, through) = try await readFeed(account, reader: nil, since: state.cursor)
            guard notifyState != nil else { return }
            state.cursor = max(state.cursor, through)
            for change in changes { try await note(change, from: nil, &state, &batch) }
        }
        try await readOwnerFeeds(&state, &batch, force: force)
        guard notifyState != nil else { return }
        if batch.statusOf.count + batch.responses.count > settings.notifyMaxMailboxes {
            notifyState = nil
            try await send(.untagged(.ok, .notificationOverflow, "Too many changes; NOTIFY is off"))
            return
        }
        notifyState = state
        for response in batch.responses { try await send(response) }
        for id in batch.statusOf {
            guard let name = state.names[id] else { continue }
            let box: MailboxInfo
            do {
                box = try await store.mailbox(account, id: id)
            } catch let error as StoreClientError
                where error.code == APIErrorCode.mailboxNotFound || error.code == APIErrorCode.noPermission
            {
                continue  // deleted (or no longer readable) since: its LIST \NonExistent comes with the next batch
            }
            // RFC 5465 §5.2, §5.3: MESSAGES and UIDNEXT tell of new and expunged messages, UNSEEN
            // of flags. §5.1, §3.1: with FlagChange, UIDVALIDITY and HIGHESTMODSEQ too (CONDSTORE
            // is advertised), as with CONDSTORE enabled.
            var items = [
                StatusItem("MESSAGES", UInt64(box.messages)), StatusItem("UIDNEXT", UInt64(box.uidNext)),
                StatusItem("UNSEEN", UInt64(box.unseen)),
            ]
            if condstoreActive || state.wants(name, { $0 == .flagChange }) {
                items.append(StatusItem("UIDVALIDITY", UInt64(box.uidValidity)))
                items.append(StatusItem("HIGHESTMODSEQ", box.highestModSeq))
            }
            try await send(.status(MailboxName(name), items))
        }
    }

    /// What one change says to the client, if anything: `owner` is whose feed it came from when
    /// not the account's own (a shared mailbox's, RFC 4314).
    func note(_ change: Change, from owner: String?, _ state: inout NotifyState, _ batch: inout NotifyBatch) async throws {
        // Of an owner's feed, only the shared mailboxes known here (reading it as the account,
        // the store leaves out what the account may not see).
        if let owner, state.owners[change.mailboxID] != owner { return }
        switch change.kind {
        case .added, .expunged, .flags:
            guard change.mailboxID != view?.mailbox.id, let name = state.names[change.mailboxID], !batch.statusOf.contains(change.mailboxID)
            else { return }
            let wanted: NotifyEvent = change.kind == .added ? .messageNew([]) : change.kind == .expunged ? .messageExpunge : .flagChange
            if state.wants(name, { Self.sameEvent($0, wanted) }) { batch.statusOf.append(change.mailboxID) }
        case .mailboxCreated:
            guard owner == nil, let name = change.name else { return }
            state.names[change.mailboxID] = name
            if state.wants(name, { $0 == .mailboxName }) {
                batch.responses.append(.list(ListEntry(attributes: [], delimiter: Self.delimiter, name: MailboxName(name))))
            }
        case .mailboxRenamed:
            guard var name = change.name else { return }
            if let owner { name = SharedNamespace.name(owner: owner, name, delimiter: Self.delimiter) }
            let old = state.names[change.mailboxID]
            state.names[change.mailboxID] = name
            let watched =
                state.wants(name) { $0 == .mailboxName } || (old.map { oldName in state.wants(oldName) { $0 == .mailboxName } } ?? false)
            if watched {
                let entry = ListEntry(
                    attributes: [], delimiter: Self.delimiter, name: MailboxName(name), oldName: old.map { MailboxName($0) })
                batch.responses.append(.list(entry))
            }
        case .mailboxDeleted:
            let name = state.names.removeValue(forKey: change.mailboxID) ?? change.name
            state.owners[change.mailboxID] = nil
            batch.statusOf.removeAll { $0 == change.mailboxID }
            if let name, state.wants(name, { $0 == .mailboxName }) {
                batch.responses.append(.list(ListEntry(attributes: ["\\NonExistent"], delimiter: Self.delimiter, name: MailboxName(name))))
            }
        case .mailboxSubscription:
            guard owner == nil, let account, let name = change.name ?? state.names[change.mailboxID] else { return }
            if !batch.subscriptionsRead {
                state.subscribed = Set(try await store.listSubscriptions(account))
                batch.subscriptionsRead = true
            }
            if state.wants(name, { $0 == .subscriptionChange }) {
                batch.responses.append(.list(try await subscriptionEntry(name, state, &batch)))
            }
        case .metadata:
            guard let entry = change.name else { return }
            if change.mailboxID == 0 {
                if owner == nil, state.wantsServerMetadata { batch.responses.append(.metadataChanged(MailboxName(""), [entry])) }
                return
            }
            // A mailbox event: the selected mailbox is in the filters like any other (only
            // message events are the SELECTED group's, RFC 5465 §6.1).
            guard let name = state.names[change.mailboxID], state.wants(name, { $0 == .mailboxMetadataChange }) else { return }
            batch.responses.append(.metadataChanged(MailboxName(name), [entry]))
        case .rights:
            guard owner == nil else { return }
            noteRights(change, &state, &batch)
        }
    }

    private static func sameEvent(_ event: NotifyEvent, _ wanted: NotifyEvent) -> Bool {
        if case .messageNew = event, case .messageNew = wanted { return true }
        return event == wanted
    }
}
