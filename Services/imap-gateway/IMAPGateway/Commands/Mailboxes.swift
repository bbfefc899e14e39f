import IMAPProtocol
import StoreAPI
import StoreClient

/// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, NAMESPACE and ENABLE. RFC 9051 §6.3,
/// RFC 2342, RFC 5161.
extension IMAPSession {
    static let delimiter: Character = "/"

    /// The account's mailbox called `name`, if any; its message counts only when asked
    /// (STATUS): counting reads every message of the mailbox.
    func mailbox(named name: MailboxName, counts: Bool = false) async throws -> MailboxInfo? {
        guard let account else { return nil }
        // RFC 2342: a name in the Other Users namespace is another account's, shared (RFC 4314).
        if SharedNamespace.contains(name.name, delimiter: Self.delimiter) {
            return try await sharedMailbox(named: name.name, counts: counts)?.info
        }
        return try await store.listMailboxes(account, counts: counts).first { $0.name == name.name }
    }

    /// CREATE, with a special use when CREATE-SPECIAL-USE gave one (Commands/CreateSpecialUse.swift).
    /// RFC 8474 §4.1: the OK carries the new mailbox's MAILBOXID.
    func create(_ name: MailboxName, specialUse: String? = nil) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        // RFC 9051 §6.3.4: a trailing delimiter only says a children are intended.
        var wanted = name.nfc.name
        while wanted.hasSuffix(String(Self.delimiter)) { wanted.removeLast() }
        guard !wanted.isEmpty else { return .no("Invalid mailbox name", .cannot) }
        // RFC 4314 §4: CREATE in another user's namespace needs `k` on the parent.
        if SharedNamespace.contains(wanted, delimiter: Self.delimiter) {
            // RFC 6154 §3: a use that cannot be given means nothing is created; it is the owner's.
            guard specialUse == nil else { return .no("A special use is given by the mailbox's owner", .useAttr) }
            return try await createShared(wanted)
        }
        if MailboxName(wanted).isInbox { return .no("INBOX always exists", .alreadyExists) }
        let created: MailboxInfo
        do {
            created = try await store.createMailbox(
                account, CreateMailboxRequest(name: MailboxName(wanted).name, specialUse: specialUse, subscribed: true))
        } catch let error as StoreClientError where error.code == APIErrorCode.specialUseInUse {
            // RFC 6154 §3: the use cannot be given to this mailbox; nothing is created.
            return .no("Another mailbox already has this special use", .useAttr)
        }
        return .ok("CREATE completed", created.objectID.map(ResponseCode.mailboxID))
    }

    func delete(_ name: MailboxName) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        if name.isInbox { return .no("INBOX cannot be deleted", .cannot) }
        guard let info = try await mailbox(named: name) else { return .no("No such mailbox", .nonexistent) }
        do {
            try await store.deleteMailbox(account, mailbox: info.id)
        } catch let error as StoreClientError where error.code == APIErrorCode.mailboxNotEmpty {
            return .no("Mailbox has children; delete them first", .hasChildren)
        }
        // Deleting the selected mailbox leaves the session in it (only SELECT, CLOSE and the
        // like change state, RFC 9051 §6): its messages are announced expunged from the feed.
        return .ok("DELETE completed")
    }

    func rename(_ from: MailboxName, _ to: MailboxName) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        if to.isInbox { return .no("INBOX already exists", .alreadyExists) }
        if SharedNamespace.contains(from.name, delimiter: Self.delimiter) || SharedNamespace.contains(to.name, delimiter: Self.delimiter) {
            return try await renameShared(from, to)
        }
        if from.isInbox { return try await renameInbox(to: to, account: account) }
        guard let info = try await mailbox(named: from) else { return .no("No such mailbox", .nonexistent) }
        if try await mailbox(named: to) != nil { return .no("Mailbox already exists", .alreadyExists) }
        let renamed = try await store.updateMailbox(account, mailbox: info.id, UpdateMailboxRequest(name: to.nfc.name))
        if view?.mailbox.id == info.id { view?.mailbox.name = renamed.name }
        return .ok("RENAME completed")
    }

    /// RFC 9051 §6.3.6: renaming INBOX moves its messages to a new mailbox and leaves INBOX
    /// empty (its children stay where they are).
    private func renameInbox(to: MailboxName, account: String) async throws -> Completion {
        if try await mailbox(named: to) != nil { return .no("Mailbox already exists", .alreadyExists) }
        guard let inbox = try await mailbox(named: .inbox, counts: true) else { return .no("No INBOX", .serverBug) }
        // RENAME leaves subscriptions as they are (RFC 9051 §6.3.6), also the new name's.
        let target = try await store.createMailbox(account, CreateMailboxRequest(name: to.nfc.name, subscribed: false))
        if inbox.messages > 0 {
            _ = try await store.copy(account, mailbox: inbox.id, CopyRequest(uids: "1:*", targetMailboxID: target.id, move: true))
        }
        return .ok("RENAME completed; INBOX is now empty")
    }

    /// RFC 9051 §6.3.7–6.3.8, RFC 3501 §6.3.6: a subscription is to a name. SUBSCRIBE of a name
    /// no mailbox has succeeds (the server MAY refuse it; we keep it, as the name may come back),
    /// UNSUBSCRIBE of a name not subscribed is OK, and neither DELETE nor RENAME touches them.
    func subscribe(_ name: MailboxName, _ subscribed: Bool) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        try await store.updateSubscription(account, SubscriptionRequest(name: name.nfc.name, subscribed: subscribed))
        return .ok(subscribed ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed")
    }

    /// One personal namespace, no prefix, and the Other Users one (SharedNamespace), both
    /// with the `/` delimiter; no shared namespace. RFC 2342 §5
    func namespace() async throws -> Completion {
        try await send(
            .namespace(
                personal: [Namespace(prefix: "", delimiter: Self.delimiter)],
                other: [Namespace(prefix: SharedNamespace.prefix + String(Self.delimiter), delimiter: Self.delimiter)], shared: []))
        return .ok("NAMESPACE completed")
    }

    /// RFC 5161: only what we know and what changes behaviour is listed as enabled.
    func enable(_ names: [String]) async throws -> Completion {
        var newly: [String] = []
        for name in names {
            let known = ["CONDSTORE", "QRESYNC", "UTF8=ACCEPT", "IMAP4REV2"]
            guard known.contains(name), !enabled.contains(name) else { continue }
            enabled.insert(name)
            newly.append(name)
            if name == "QRESYNC" || name == "CONDSTORE" { condstoreActive = true }
        }
        try await send(.enabled(newly))
        return .ok("ENABLE completed")
    }
}
