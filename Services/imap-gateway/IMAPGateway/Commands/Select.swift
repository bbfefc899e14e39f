import IMAPProtocol
import StoreAPI

/// SELECT and EXAMINE (with CONDSTORE and QRESYNC), CLOSE and UNSELECT. RFC 9051 §6.3.2,
/// §6.4.1, RFC 3691, RFC 7162 §3.1.8, §3.2.5.
extension IMAPSession {
    func select(_ name: MailboxName, _ parameters: SelectParameters, readOnly: Bool) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        if parameters.qresync != nil && !qresyncEnabled { return .bad("ENABLE QRESYNC first") }
        // The old mailbox's shared view is let go only after the new one is open: reselecting
        // the same mailbox then costs a feed catch-up, not a listing.
        let previous = lease
        contexts = []  // RFC 5267 §4.3: updates cease when the mailbox is no longer selected.
        defer { if let previous { Task { [shared] in await shared.release(previous) } } }
        if state == .selected {
            view = nil
            lease = nil
            state = .authenticated
            // RFC 7162 §3.2.11: the client learns where the old mailbox's responses end.
            // RFC 9051 §6.3.2 requires it of IMAP4rev2 too.
            if qresyncEnabled || enabled.contains("IMAP4REV2") { try await send(.untagged(.ok, .closed, "Previous mailbox closed")) }
        }
        sharedSelection = nil
        var readOnly = readOnly
        let key: SharedMailboxes.Key
        var box: MailboxInfo
        if SharedNamespace.contains(name.name, delimiter: Self.delimiter) {
            // Another account's mailbox (RFC 4314 §4): SELECT needs `r`, and is READ-ONLY
            // without a right to change anything; its feed is the owner's, read as this account.
            guard let found = try await sharedMailbox(named: name.name) else { return .no("No such mailbox", .nonexistent) }
            guard found.selection.rights.contains(.read) else { return .no("Permission denied", .noPerm) }
            box = found.info
            readOnly = readOnly || found.selection.readOnly
            sharedSelection = found.selection
            if let head = watcher.latest(account) {
                sharedSelection?.grantsRead = head
            } else {
                sharedSelection?.grantsRead = try await store.feedHead(account)
            }
            key = SharedMailboxes.Key(account: found.selection.owner, mailbox: box.id, uidValidity: box.uidValidity, reader: account)
        } else {
            guard let own = try await mailbox(named: name) else { return .no("No such mailbox", .nonexistent) }
            box = own
            key = SharedMailboxes.Key(account: account, mailbox: box.id, uidValidity: box.uidValidity)
        }
        if parameters.condstore || parameters.qresync != nil { condstoreActive = true }
        let opened: (SharedMailboxes.Lease, SharedMailboxes.Snapshot)
        do {
            opened = try await shared.open(key, changedThrough: box.highestModSeq, uidNext: box.uidNext)
        } catch SharedMailboxError.gone {
            sharedSelection = nil
            return .no("No such mailbox", .nonexistent)
        }
        let (newLease, snapshot) = opened
        box.highestModSeq = max(box.highestModSeq, snapshot.highestModSeq)
        box.uidNext = max(box.uidNext, snapshot.uidNext)
        let selected = MailboxView(mailbox: box, readOnly: readOnly, cursor: snapshot.cursor, base: snapshot.columns)
        if state == .logout {
            // The connection went while the mailbox was being opened.
            Task { [shared] in await shared.release(newLease) }
            return .no("Connection gone")
        }
        view = selected
        lease = newLease
        state = .selected
        savedSearch = nil
        // RFC 3501 §2.3.2: SELECT takes \Recent for the messages no session was told of yet.
        await claimRecent()

        // RFC 3501 §7.2.6, RFC 9051 §7.3.5: FLAGS lists the keywords in use too.
        try await sendFlagLists()
        try await send(.exists(selected.count))
        if recentApplies {
            try await sendRecentCount()
            if let firstUnseen = selected.firstUnseen() {
                try await send(.untagged(.ok, .unseen(firstUnseen), "First unseen"))
            }
        }
        if enabled.contains("IMAP4REV2") {
            // RFC 9051 §6.3.2: the mailbox's name as the server spells it.
            try await send(
                .list(
                    ListEntry(attributes: box.specialUse.map { ["\\" + $0] } ?? [], delimiter: Self.delimiter, name: MailboxName(box.name)))
            )
        }
        try await send(.untagged(.ok, .uidValidity(box.uidValidity), "UIDs valid"))
        try await send(.untagged(.ok, .uidNext(selected.mailbox.uidNext), "Predicted next UID"))
        try await send(.untagged(.ok, .highestModSeq(selected.mailbox.highestModSeq), "Highest"))
        // RFC 8474 §4.1: SELECT and EXAMINE name the mailbox's MAILBOXID.
        if let id = box.objectID { try await send(.untagged(.ok, .mailboxID(id), "Mailbox id")) }
        if let qresync = parameters.qresync, qresync.uidValidity == box.uidValidity {
            try await resynchronize(account, qresync)
        }
        return .ok(readOnly ? "EXAMINE completed" : "SELECT completed", readOnly ? .readOnly : .readWrite)
    }

    /// QRESYNC: what vanished and what changed since the client's MODSEQ. RFC 7162 §3.2.5
    private func resynchronize(_ account: String, _ qresync: SelectParameters.QResync) async throws {
        guard let view else { return }
        let known = qresync.knownUIDs
        let vanished = try await expungedUIDs(account, mailbox: view.mailbox.id, since: qresync.modSeq)
            .filter { known?.contains($0, largest: UInt32.max) ?? true }
        if !vanished.isEmpty { try await send(.vanished(earlier: true, uids: vanished)) }
        // The shared view as of SELECT: what changed after the client's MODSEQ.
        for message in view.changedSinceSelect(qresync.modSeq) {
            let flags = view.clientFlags(message.uid, message.flags)
            try await send(.fetch(message.sequence, [.uid(message.uid), .flags(flags), .modSeq(message.modSeq)]))
        }
    }

    /// UIDs of a mailbox expunged after `since`, from the change log.
    func expungedUIDs(_ account: String, mailbox: Int64, since: UInt64) async throws -> [UInt32] {
        try await changes(account, since: since).changes.filter { $0.mailboxID == mailbox && $0.kind == .expunged }.compactMap(\.uid)
    }

    /// CLOSE (expunging \Deleted silently, unless read-only) and UNSELECT.
    func close(expunge: Bool) async throws -> Completion {
        // RFC 4314 §4 CLOSE: without `e` nothing is expunged, silently.
        if expunge, let view, !view.readOnly, let account, sharedSelection?.rights.contains(.expunge) ?? true {
            _ = try await store.expunge(account, mailbox: view.mailbox.id, ExpungeRequest(uids: nil, onlyDeleted: true))
        }
        view = nil
        sharedSelection = nil
        contexts = []  // RFC 5267 §4.3
        if let lease {
            self.lease = nil
            Task { [shared] in await shared.release(lease) }
        }
        state = .authenticated
        var done = Completion.ok(expunge ? "CLOSE completed" : "UNSELECT completed")
        done.announce = false
        return done
    }
}
