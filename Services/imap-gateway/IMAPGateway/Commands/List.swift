import IMAPProtocol
import StoreAPI

/// LIST (with LIST-EXTENDED selection and return options, SPECIAL-USE, CHILDREN and
/// LIST-STATUS) and LSUB. RFC 9051 §6.3.9, RFC 5258, RFC 6154, RFC 5819, RFC 3501 §6.3.9.
extension IMAPSession {
    func list(selectOptions: [String], reference: String, patterns: [String], returnOptions: ListReturnOptions?) async throws -> Completion
    {
        guard let account else { return .bad("Log in first") }
        let options = returnOptions ?? ListReturnOptions()
        let subscribedOnly = selectOptions.contains("SUBSCRIBED")
        let recursive = selectOptions.contains("RECURSIVEMATCH")
        let specialOnly = selectOptions.contains("SPECIAL-USE")
        if recursive && !subscribedOnly { return .bad("RECURSIVEMATCH needs another selection option") }
        // RFC 5258 §3: an unknown selection option is an error (REMOTE is known: no remote mailboxes).
        if let unknown = selectOptions.first(where: { !["SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE"].contains($0) }) {
            return .bad("Unknown LIST selection option \(unknown)")
        }
        // RFC 5819 §2: the items are those of STATUS; an unknown one is BAD, as there.
        if let unknown = options.status?.first(where: { !Self.statusItemNames.contains($0) }) {
            return .bad("Unknown STATUS item \(unknown)")
        }
        // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root.
        if patterns.count == 1, patterns[0].isEmpty, selectOptions.isEmpty {
            try await send(.list(ListEntry(attributes: ["\\Noselect"], delimiter: Self.delimiter, name: MailboxName(""))))
            return .ok("LIST completed")
        }
        // Counted only for RETURN (STATUS …): counting reads every message.
        var mailboxes = try await store.listMailboxes(account, counts: options.status != nil)
        // RFC 2342, RFC 4314: others' mailboxes shared with the account, in the Other Users
        // namespace, with the levels above them as \Noselect; rights for RETURN (MYRIGHTS).
        var rights: [String: String] = [:]
        var levels = Set<String>()
        if patterns.contains(where: { Self.mayReachShared(reference, $0) }) {
            for (info, held) in try await sharedMailboxList() {
                mailboxes.append(info)
                rights[info.name] = held
                var superior = Substring(info.name)
                while let cut = superior.lastIndex(of: Self.delimiter) {
                    superior = superior[..<cut]
                    levels.insert(String(superior))
                }
            }
        }
        let byName = Dictionary(mailboxes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // RFC 5258 §3.1 / RFC 9051 §6.3.9.1: (SUBSCRIBED) lists subscribed names, also those
        // no mailbox has (\NonExistent); RETURN (SUBSCRIBED) alone adds no names.
        // A shared mailbox's subscription is the reader's, by name: only the subscription list has it.
        let subscribed: Set<String>
        var candidates = Set(byName.keys).union(levels)
        if subscribedOnly {
            subscribed = Set(try await store.listSubscriptions(account))
            candidates.formUnion(subscribed)
        } else if options.subscribed && !levels.isEmpty {
            subscribed = Set(try await store.listSubscriptions(account))
        } else {
            subscribed = Set(mailboxes.filter(\.subscribed).map(\.name))
        }
        let matchers = patterns.map { ListPattern(reference: reference, pattern: $0, delimiter: Self.delimiter) }
        let names = Set(byName.keys)
        for name in Self.listOrder(candidates) where matchers.contains(where: { $0.matches(name) }) {
            let box = byName[name]
            var attributes: [String]
            if box == nil, levels.contains(name) {
                attributes = ["\\Noselect", "\\HasChildren"]  // Other Users, Other Users/<owner>
            } else {
                attributes = Self.listAttributes(name, box: box, exists: box != nil, names: names)
            }
            let isSubscribed = subscribed.contains(name)
            if isSubscribed && (subscribedOnly || options.subscribed) { attributes.append("\\Subscribed") }
            var childInfo: [String] = []
            if subscribedOnly && !isSubscribed {
                let subscribedChild = subscribed.contains { $0.hasPrefix(name + String(Self.delimiter)) }
                guard recursive, subscribedChild else { continue }
                childInfo = ["SUBSCRIBED"]
            }
            if specialOnly && box?.specialUse == nil { continue }
            try await send(
                .list(ListEntry(attributes: attributes, delimiter: Self.delimiter, name: MailboxName(name), childInfo: childInfo)))
            if let items = options.status, childInfo.isEmpty, let box {
                // A shared mailbox is counted on its own; without `r`, no STATUS (RFC 4314 §4).
                var counted: MailboxInfo? = box
                if let held = rights[name] {
                    counted = MailboxRights(held)?.contains(.read) == true ? try await store.mailbox(account, id: box.id) : nil
                }
                if let counted { try await send(.status(MailboxName(name), try await statusItems(counted, items))) }
            }
            // RFC 8440 §3: MYRIGHTS after the LIST of each mailbox; the owner has every right.
            if options.myRights, childInfo.isEmpty, box != nil {
                try await send(.acl(.myRights(MailboxName(name), rights[name] ?? MailboxRights.all.description)))
            }
        }
        return .ok("LIST completed")
    }

    /// RFC 3501 §6.3.9: the subscribed names that match, with or without a mailbox (one
    /// without is `\Noselect`); with `%` at the end of the pattern, an unsubscribed superior
    /// of a subscribed name that matches comes back too, flagged `\Noselect`.
    func lsub(reference: String, pattern: String) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        if pattern.isEmpty {
            try await send(.lsub(ListEntry(attributes: ["\\Noselect"], delimiter: Self.delimiter, name: MailboxName(""))))
            return .ok("LSUB completed")
        }
        async let listed = store.listMailboxes(account, counts: false)
        let subscribed = Set(try await store.listSubscriptions(account))
        var existing = Set(try await listed.map(\.name))
        // A subscribed name in the Other Users namespace exists while its owner shares it.
        if subscribed.contains(where: { SharedNamespace.contains($0, delimiter: Self.delimiter) }) {
            existing.formUnion(try await sharedMailboxList().map(\.info.name))
        }
        let matcher = ListPattern(reference: reference, pattern: pattern, delimiter: Self.delimiter)
        var entries: [String: [String]] = [:]
        for name in subscribed where matcher.matches(name) {
            entries[name] = existing.contains(name) ? [] : ["\\Noselect"]
        }
        if pattern.last == "%" {
            for name in subscribed {
                var superior = Substring(name)
                while let cut = superior.lastIndex(of: Self.delimiter) {
                    superior = superior[..<cut]
                    let candidate = String(superior)
                    if !subscribed.contains(candidate), entries[candidate] == nil, matcher.matches(candidate) {
                        entries[candidate] = ["\\Noselect"]
                    }
                }
            }
        }
        for name in Self.listOrder(Set(entries.keys)) {
            try await send(.lsub(ListEntry(attributes: entries[name] ?? [], delimiter: Self.delimiter, name: MailboxName(name))))
        }
        return .ok("LSUB completed")
    }

    /// Whether a LIST pattern may match a name in the Other Users namespace (asking the store
    /// for shared mailboxes only then).
    static func mayReachShared(_ reference: String, _ pattern: String) -> Bool {
        let full = reference + pattern
        let head = full.prefix { $0 != "*" && $0 != "%" }
        let prefix = SharedNamespace.prefix + String(delimiter)
        return prefix.hasPrefix(head) || head.hasPrefix(prefix)
    }

    /// A mailbox's attributes but \Subscribed: \HasChildren or \HasNoChildren (RFC 5258
    /// §4, CHILDREN) and its special use (RFC 6154) when it exists, else \NonExistent (RFC 5258
    /// §3: implies \Noselect). `names`: every mailbox name the account sees.
    static func listAttributes(_ name: String, box: MailboxInfo?, exists: Bool, names: Set<String>) -> [String] {
        guard exists else { return ["\\NonExistent"] }
        let hasChildren = names.contains { $0.hasPrefix(name + String(delimiter)) }
        var attributes = [hasChildren ? "\\HasChildren" : "\\HasNoChildren"]
        if let use = box?.specialUse { attributes.append("\\" + use) }
        return attributes
    }

    /// INBOX first, then by name.
    static func listOrder(_ names: Set<String>) -> [String] {
        names.sorted { a, b in a == "INBOX" ? b != "INBOX" : (b != "INBOX" && a < b) }
    }
}
