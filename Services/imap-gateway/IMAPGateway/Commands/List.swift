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
        let mailboxes = try await store.listMailboxes(account).sorted { a, b in
            a.name == "INBOX" ? b.name != "INBOX" : (b.name != "INBOX" && a.name < b.name)
        }
        let matchers = patterns.map { ListPattern(reference: reference, pattern: $0, delimiter: Self.delimiter) }
        let names = Set(mailboxes.map { $0.name })
        for box in mailboxes where matchers.contains(where: { $0.matches(box.name) }) {
            let hasChildren = names.contains { $0.hasPrefix(box.name + String(Self.delimiter)) }
            var attributes = [hasChildren ? "\\HasChildren" : "\\HasNoChildren"]
            if let use = box.specialUse { attributes.append("\\" + use) }
            if box.subscribed && (subscribedOnly || options.subscribed) { attributes.append("\\Subscribed") }
            var childInfo: [String] = []
            if subscribedOnly && !box.subscribed {
                let subscribedChild = mailboxes.contains { $0.subscribed && $0.name.hasPrefix(box.name + String(Self.delimiter)) }
                guard recursive, subscribedChild else { continue }
                childInfo = ["SUBSCRIBED"]
            }
            if specialOnly && box.specialUse == nil { continue }
            try await send(
                .list(ListEntry(attributes: attributes, delimiter: Self.delimiter, name: MailboxName(box.name), childInfo: childInfo)))
            if let items = options.status, childInfo.isEmpty {
                try await send(.status(MailboxName(box.name), try await statusItems(box, items)))
            }
        }
        return .ok("LIST completed")
    }

    func lsub(reference: String, pattern: String) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        if pattern.isEmpty {
            try await send(.lsub(ListEntry(attributes: ["\\Noselect"], delimiter: Self.delimiter, name: MailboxName(""))))
            return .ok("LSUB completed")
        }
        let matcher = ListPattern(reference: reference, pattern: pattern, delimiter: Self.delimiter)
        for box in try await store.listMailboxes(account) where box.subscribed && matcher.matches(box.name) {
            try await send(.lsub(ListEntry(attributes: [], delimiter: Self.delimiter, name: MailboxName(box.name))))
        }
        return .ok("LSUB completed")
    }
}
