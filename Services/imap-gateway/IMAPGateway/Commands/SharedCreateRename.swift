import IMAPProtocol
import StoreAPI

/// CREATE and RENAME in the Other Users namespace (RFC 2342 §4): below a mailbox another user
/// shares, with the rights RFC 4314 §4 asks for — `k` on the parent to create, `x` on the
/// mailbox and `k` above the new name to rename. The gateway names the owner through the
/// nearest shared mailbox; the store checks `k` on the nearest mailbox that exists above the
/// name (which may lie between) and gives a new mailbox its parent's ACL, so whoever made it
/// can see it. A mailbox never changes owner.
extension IMAPSession {
    func createShared(_ name: String) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        guard let (owner, inner) = SharedNamespace.split(name, delimiter: Self.delimiter),
            let parent = try await nearestShared(owner: owner, above: inner)
        else { return .no("Mailboxes are created below a mailbox shared with you", .noPerm) }
        let created = try await store.createMailbox(account, CreateMailboxRequest(name: inner, subscribed: false, parentID: parent.id))
        // Subscribed as a CREATE in one's own namespace is (Mailboxes.swift), by the name this
        // user sees it under; the owner's subscriptions are the owner's.
        try await store.updateSubscription(account, SubscriptionRequest(name: name, subscribed: true))
        return .ok("CREATE completed", created.objectID.map(ResponseCode.mailboxID))
    }

    func renameShared(_ from: MailboxName, _ to: MailboxName) async throws -> Completion {
        guard let source = SharedNamespace.split(from.name, delimiter: Self.delimiter),
            let target = SharedNamespace.split(to.nfc.name, delimiter: Self.delimiter), source.owner == target.owner
        else { return .no("A mailbox is renamed within its owner's namespace", .noPerm) }
        guard let found = try await sharedMailbox(named: from.name) else { return .no("No such mailbox", .nonexistent) }
        _ = try await store.updateMailbox(account ?? "", mailbox: found.info.id, UpdateMailboxRequest(name: target.name))
        if view?.mailbox.id == found.info.id { view?.mailbox.name = to.nfc.name }
        return .ok("RENAME completed")
    }

    /// The nearest superior of `inner` among the owner's mailboxes shared with this account.
    private func nearestShared(owner: String, above inner: String) async throws -> MailboxInfo? {
        guard let account else { return nil }
        let shared = try await store.sharedMailboxes(account).filter { $0.owner == owner }
        var superior = Substring(inner)
        while let cut = superior.lastIndex(of: Self.delimiter) {
            superior = superior[..<cut]
            if let found = shared.first(where: { $0.mailbox.name == superior }) { return found.mailbox }
        }
        return nil
    }
}
