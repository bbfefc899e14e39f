import LineFraming

/// NOTIFY SET: which events the client wants to hear of, and from which mailboxes. RFC 5465 §3
///
/// ```
/// C: a1 NOTIFY SET STATUS (SELECTED (MessageNew (UID FLAGS) MessageExpunge))
///       (PERSONAL (MessageNew MessageExpunge MailboxName))
/// ```
public struct NotifySpec: Sendable, Hashable {
    /// `SET STATUS`: STATUS of every watched mailbox at once. RFC 5465 §3.1
    public var status: Bool
    public var groups: [NotifyEventGroup]
    public init(status: Bool = false, groups: [NotifyEventGroup]) {
        self.status = status
        self.groups = groups
    }
}

/// `"(" filter-mailboxes SP events ")"`; `events` empty for NONE. RFC 5465 §8
public struct NotifyEventGroup: Sendable, Hashable {
    public var filter: NotifyFilter
    public var events: [NotifyEvent]
    public init(_ filter: NotifyFilter, _ events: [NotifyEvent]) {
        self.filter = filter
        self.events = events
    }
}

/// The mailboxes an event group is about. RFC 5465 §6
public enum NotifyFilter: Sendable, Hashable {
    case selected
    case selectedDelayed
    /// Mailboxes new mail is delivered to.
    case inboxes
    /// Every mailbox of the user's personal namespace.
    case personal
    /// Subscribed mailboxes, as subscribed when the event happens.
    case subscribed
    /// The named mailboxes and everything below them.
    case subtree([MailboxName])
    /// Exactly the named mailboxes.
    case mailboxes([MailboxName])

    public var isSelected: Bool { self == .selected || self == .selectedDelayed }
}

/// An event of RFC 5465 §5; `other` keeps one the parser does not know, which the session
/// refuses with `[BADEVENT]` (§3: an unsupported event is NO, not BAD).
public enum NotifyEvent: Sendable, Hashable {
    /// MessageNew with the FETCH attributes to send for the selected mailbox. §5.1
    case messageNew([FetchAttribute])
    case messageExpunge
    case flagChange
    case annotationChange
    case mailboxName
    case subscriptionChange
    case mailboxMetadataChange
    case serverMetadataChange
    case other(String)

    /// The name as RFC 5465 spells it (what `[BADEVENT]` lists).
    public var name: String {
        switch self {
        case .messageNew: return "MessageNew"
        case .messageExpunge: return "MessageExpunge"
        case .flagChange: return "FlagChange"
        case .annotationChange: return "AnnotationChange"
        case .mailboxName: return "MailboxName"
        case .subscriptionChange: return "SubscriptionChange"
        case .mailboxMetadataChange: return "MailboxMetadataChange"
        case .serverMetadataChange: return "ServerMetadataChange"
        case .other(let name): return name
        }
    }

    /// message-event: needs MessageNew and MessageExpunge beside it (§5, §8).
    public var isMessageEvent: Bool {
        switch self {
        case .messageNew, .messageExpunge, .flagChange, .annotationChange: return true
        default: return false
        }
    }
}

extension IMAPCommandParser {
    /// ```
    /// notify           = "NOTIFY" SP (notify-set / notify-none)
    /// notify-none      = "NONE"
    /// notify-set       = "SET" [status-indicator] SP event-groups
    /// status-indicator = SP "STATUS"
    /// event-groups     = event-group *(SP event-group)
    /// event-group      = "(" filter-mailboxes SP events ")"
    /// filter-mailboxes = "selected" / "selected-delayed" / "inboxes" / "personal" / "subscribed" /
    ///                    ("subtree" SP one-or-more-mailbox) / ("mailboxes" SP one-or-more-mailbox)
    /// one-or-more-mailbox = mailbox / many-mailboxes
    /// many-mailboxes   = "(" mailbox *(SP mailbox) ")"
    /// events           = ("(" event *(SP event) ")") / "NONE"
    /// message-event    = ("MessageNew" [SP "(" fetch-att *(SP fetch-att) ")"]) / "MessageExpunge" /
    ///                    "FlagChange" / "AnnotationChange"
    /// mailbox-event    = "MailboxName" / "SubscriptionChange" / "MailboxMetadataChange" / "ServerMetadataChange"
    /// ```
    /// RFC 5465 §8. `.notify(nil)` is NOTIFY NONE.
    func notify(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        switch try c.keyword() {
        case "NONE": return .notify(nil)
        case "SET": break
        default: throw IMAPCursor.fail("expected SET or NONE")
        }
        try c.space()
        var spec = NotifySpec(groups: [])
        if c.take(keyword: "STATUS") {
            spec.status = true
            try c.space()
        }
        repeat { spec.groups.append(try notifyGroup(&c)) } while c.take(ByteClass.space)
        return .notify(spec)
    }

    private func notifyGroup(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> NotifyEventGroup {
        try c.open()
        let filter: NotifyFilter
        switch try c.keyword() {
        case "SELECTED": filter = .selected
        case "SELECTED-DELAYED": filter = .selectedDelayed
        case "INBOXES": filter = .inboxes
        case "PERSONAL": filter = .personal
        case "SUBSCRIBED": filter = .subscribed
        case "SUBTREE": filter = .subtree(try notifyMailboxes(&c))
        case "MAILBOXES": filter = .mailboxes(try notifyMailboxes(&c))
        default: throw IMAPCursor.fail("unknown mailbox filter")
        }
        try c.space()
        var events: [NotifyEvent] = []
        if c.peek == ByteClass.openParen {
            try c.open()
            repeat { events.append(try notifyEvent(&c)) } while c.take(ByteClass.space)
            try c.close()
        } else {
            guard try c.keyword() == "NONE" else { throw IMAPCursor.fail("expected events or NONE") }
        }
        try c.close()
        return NotifyEventGroup(filter, events)
    }

    private func notifyMailboxes(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> [MailboxName] {
        try c.space()
        guard c.peek == ByteClass.openParen else { return [try c.mailbox(utf8Enabled: utf8Enabled)] }
        try c.open()
        var names: [MailboxName] = []
        repeat { names.append(try c.mailbox(utf8Enabled: utf8Enabled)) } while c.take(ByteClass.space)
        try c.close()
        return names
    }

    private func notifyEvent(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> NotifyEvent {
        let word = try c.atom()
        switch ByteClass.upperString(word) {
        case "MESSAGENEW":
            var attributes: [FetchAttribute] = []
            if c.peek == ByteClass.space, c.peek(ahead: 1) == ByteClass.openParen {
                _ = c.take(ByteClass.space)
                try c.open()
                repeat { attributes.append(try c.fetchAttribute()) } while c.take(ByteClass.space)
                try c.close()
            }
            return .messageNew(attributes)
        case "MESSAGEEXPUNGE": return .messageExpunge
        case "FLAGCHANGE": return .flagChange
        case "ANNOTATIONCHANGE": return .annotationChange
        case "MAILBOXNAME": return .mailboxName
        case "SUBSCRIPTIONCHANGE": return .subscriptionChange
        case "MAILBOXMETADATACHANGE": return .mailboxMetadataChange
        case "SERVERMETADATACHANGE": return .serverMetadataChange
        default: return .other(String(decoding: word, as: UTF8.self))
        }
    }
}

extension NotifySpec {
    /// `SET [STATUS] (filter events)…`, as `NOTIFY` sends it (for tests and the fuzzer).
    public func encoded(utf8Enabled: Bool = false) -> [UInt8] {
        var out = Array((status ? "SET STATUS" : "SET").utf8)
        for group in groups {
            out += Array(" (".utf8)
            func names(_ list: [MailboxName]) {
                out.append(ByteClass.space)
                if list.count == 1, let only = list.first { return out += only.encoded(utf8Enabled: utf8Enabled) }
                out.append(ByteClass.openParen)
                for (index, name) in list.enumerated() {
                    if index > 0 { out.append(ByteClass.space) }
                    out += name.encoded(utf8Enabled: utf8Enabled)
                }
                out.append(ByteClass.closeParen)
            }
            switch group.filter {
            case .selected: out += Array("SELECTED".utf8)
            case .selectedDelayed: out += Array("SELECTED-DELAYED".utf8)
            case .inboxes: out += Array("INBOXES".utf8)
            case .personal: out += Array("PERSONAL".utf8)
            case .subscribed: out += Array("SUBSCRIBED".utf8)
            case .subtree(let list):
                out += Array("SUBTREE".utf8)
                names(list)
            case .mailboxes(let list):
                out += Array("MAILBOXES".utf8)
                names(list)
            }
            if group.events.isEmpty {
                out += Array(" NONE)".utf8)
                continue
            }
            out += Array(" (".utf8)
            for (index, event) in group.events.enumerated() {
                if index > 0 { out.append(ByteClass.space) }
                out += Array(event.name.utf8)
                if case .messageNew(let attributes) = event, !attributes.isEmpty {
                    out += Array(" (".utf8)
                    for (position, attribute) in attributes.enumerated() {
                        if position > 0 { out.append(ByteClass.space) }
                        out += attribute.encoded(style: .synchronizing)
                    }
                    out.append(ByteClass.closeParen)
                }
            }
            out += Array("))".utf8)
        }
        return out
    }
}
