import IMAPProtocol

/// What a session asked for with NOTIFY SET (RFC 5465) and what it needs to answer it from
/// the account's change feed: its position in the feed, the account's mailbox names by id
/// (the feed names mailboxes by id; it carries names only for mailbox events) and, for the
/// SUBSCRIBED filter, the subscribed names. All of it follows the feed, so a session costs
/// one feed read per batch of changes however many mailboxes the account has.
struct NotifyState: Sendable {
    var spec: NotifySpec
    var cursor: UInt64
    var names: [Int64: String]
    var subscribed: Set<String>

    /// Event groups about other mailboxes than the selected one. RFC 5465 §6
    var otherGroups: [NotifyEventGroup] { spec.groups.filter { !$0.filter.isSelected } }

    /// Whether the SUBSCRIBED filter or the SubscriptionChange event needs the subscribed names.
    var needsSubscriptions: Bool {
        spec.groups.contains { $0.filter == .subscribed || $0.events.contains(.subscriptionChange) }
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
        case .personal: return true  // every mailbox of the account is in its personal namespace
        case .inboxes: return name == "INBOX"  // deliveries go to INBOX only
        case .subscribed: return subscribed.contains(name)
        case .mailboxes(let list): return list.contains { $0.name == name }
        case .subtree(let list): return list.contains { name == $0.name || name.hasPrefix($0.name + "/") }
        }
    }
}
