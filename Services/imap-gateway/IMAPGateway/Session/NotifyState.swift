import IMAPProtocol

/// What a session asked for with NOTIFY SET (RFC 5465) and what it needs to answer it from
/// the change feeds: its position in the account's feed, the mailbox names by id (the feed
/// names mailboxes by id; it carries names only for mailbox events) and, for the SUBSCRIBED
/// filter, the subscribed names. All of it follows the feed, so a session costs one feed read
/// per batch of changes however many mailboxes the account has.
///
/// Another account's mailbox shared with this one (RFC 4314) is named in the Other Users
/// namespace; its changes are in its owner's feed, read as this account, one read per owner
/// per batch, and only for owners of a mailbox some filter watches (none: no read at all).
/// Grants to the account come in its own feed (`mailbox-rights`), so the shared mailboxes
/// known here follow them (RFC 5465 §5.9).
struct NotifyState: Sendable {
    let spec: NotifySpec
    var cursor: UInt64
    var names: [Int64: String]
    var subscribed: Set<String>
    /// The shared mailboxes in `names`: their owner.
    var owners: [Int64: String] = [:]
    /// The position in each watched owner's feed.
    var ownerCursors: [String: UInt64] = [:]
    /// MessageNew's fetch attributes for the selected mailbox, empty when none were given (RFC
    /// 5465 §5.2): found once here, so that an EXISTS costs nothing more without them.
    let newMessageFetch: [FetchAttribute]

    init(spec: NotifySpec, cursor: UInt64, names: [Int64: String], subscribed: Set<String>) {
        self.spec = spec
        self.cursor = cursor
        self.names = names
        self.subscribed = subscribed
        let selected = spec.groups.first { $0.filter.isSelected }?.events ?? []
        newMessageFetch =
            selected.lazy.compactMap { event -> [FetchAttribute]? in
                if case .messageNew(let attributes) = event { return attributes }
                return nil
            }.first ?? []
    }

    /// Event groups about other mailboxes than the selected one. RFC 5465 §6
    var otherGroups: [NotifyEventGroup] { spec.groups.filter { !$0.filter.isSelected } }

    /// Whether the SUBSCRIBED filter or the SubscriptionChange event needs the subscribed names.
    var needsSubscriptions: Bool {
        spec.groups.contains { $0.filter == .subscribed || $0.events.contains(.subscriptionChange) }
    }

    /// Whether a filter may take in a mailbox of the Other Users namespace: a name in it given
    /// to MAILBOXES or SUBTREE, or a subscribed one. PERSONAL and INBOXES never do (§6).
    var reachesShared: Bool {
        otherGroups.contains { group in
            switch group.filter {
            case .mailboxes(let list), .subtree(let list): list.contains { Self.isShared($0.name) }
            case .subscribed: subscribed.contains(where: Self.isShared)
            default: false
            }
        }
    }

    /// Owners of the shared mailboxes some event is wanted for: the feeds to read.
    var watchedOwners: Set<String> {
        Set(owners.compactMap { id, owner in names[id].map { wants($0) { _ in true } } == true ? owner : nil })
    }

    /// The events the client wants for the mailbox `name` (not the selected one). RFC 5465 §6:
    /// SUBSCRIBED is evaluated when the event happens.
    func wants(_ name: String, _ predicate: (NotifyEvent) -> Bool) -> Bool {
        otherGroups.contains { group in
            Self.filter(group.filter, matches: name, subscribed: subscribed) && group.events.contains(where: predicate)
        }
    }

    /// ServerMetadataChange is about no mailbox: any group naming it asks for it. RFC 5465 §5.8
    var wantsServerMetadata: Bool { spec.groups.contains { $0.events.contains(.serverMetadataChange) } }

    static func filter(_ filter: NotifyFilter, matches name: String, subscribed: Set<String>) -> Bool {
        switch filter {
        case .selected, .selectedDelayed: return false
        // RFC 5465 §6: "personal" is the personal namespace only, not Other Users.
        case .personal: return !isShared(name)
        case .inboxes: return name == "INBOX"  // deliveries go to INBOX only
        case .subscribed: return subscribed.contains(name)
        case .mailboxes(let list): return list.contains { $0.name == name }
        case .subtree(let list): return list.contains { name == $0.name || name.hasPrefix($0.name + "/") }
        }
    }

    static func isShared(_ name: String) -> Bool { SharedNamespace.contains(name, delimiter: IMAPSession.delimiter) }
}
