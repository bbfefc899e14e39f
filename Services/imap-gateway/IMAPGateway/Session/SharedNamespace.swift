import IMAPProtocol
import StoreAPI

/// The "Other Users" namespace (RFC 2342 §4, §5): another account's mailbox shared with this
/// one (RFC 4314) is `Other Users/<owner's address>/<its name>`, e.g.
/// `Other Users/bob@example.org/Projects`. There is no "Shared" namespace: every mailbox has
/// an owner.
struct SharedSelection: Sendable {
    var owner: String
    var rights: MailboxRights
    /// How far the account's own feed was read for grants (`mailbox-rights` entries): a right
    /// revoked there ends the selection even while the owner's feed stays open to the account.
    var grantsRead: UInt64 = 0

    /// RFC 4314 §4 SELECT: without any right to change the mailbox (s, w, t, e) it is
    /// READ-ONLY, as if examined.
    var readOnly: Bool { rights.intersection([.seen, .write, .deleteMessage, .expunge]).isEmpty }
}

enum SharedNamespace {
    static let prefix = "Other Users"

    /// `(owner, name)` of a name in the namespace, nil for a personal name. The owner is
    /// the segment after the prefix; an address has no `/`.
    static func split(_ name: String, delimiter: Character) -> (owner: String, name: String)? {
        let head = prefix + String(delimiter)
        guard name.hasPrefix(head) else { return nil }
        let rest = name.dropFirst(head.count)
        guard let cut = rest.firstIndex(of: delimiter) else { return nil }
        let owner = rest[..<cut]
        let inner = rest[rest.index(after: cut)...]
        guard !owner.isEmpty, !inner.isEmpty else { return nil }
        return (String(owner).lowercased(), String(inner))
    }

    /// Whether the name is the namespace itself or inside it (where nothing can be created).
    static func contains(_ name: String, delimiter: Character) -> Bool {
        name == prefix || name.hasPrefix(prefix + String(delimiter))
    }

    static func name(owner: String, _ name: String, delimiter: Character) -> String {
        prefix + String(delimiter) + owner + String(delimiter) + name
    }
}

extension IMAPSession {
    /// A shared mailbox by its name in the Other Users namespace, named so, with its owner and
    /// the rights held; nil when the account may not look it up (RFC 4314 §4: as if it did
    /// not exist).
    func sharedMailbox(named name: String, counts: Bool = false) async throws -> (info: MailboxInfo, selection: SharedSelection)? {
        guard let account, let parts = SharedNamespace.split(name, delimiter: Self.delimiter) else { return nil }
        let (owner, inner) = parts
        guard let found = try await store.sharedMailboxes(account).first(where: { $0.owner == owner && $0.mailbox.name == inner }),
            let rights = MailboxRights(found.rights)
        else { return nil }
        var info = found.mailbox
        if counts { info = try await store.mailbox(account, id: info.id) }
        info.name = SharedNamespace.name(owner: owner, info.name, delimiter: Self.delimiter)
        info.subscribed = false
        return (info, SharedSelection(owner: owner, rights: rights))
    }

    /// Every shared mailbox the account may look up, named in the namespace.
    func sharedMailboxList() async throws -> [(info: MailboxInfo, rights: String)] {
        guard let account else { return [] }
        return try await store.sharedMailboxes(account).map { shared in
            var info = shared.mailbox
            info.name = SharedNamespace.name(owner: shared.owner, info.name, delimiter: Self.delimiter)
            return (info, shared.rights)
        }
    }
}
