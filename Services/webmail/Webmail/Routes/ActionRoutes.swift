import Hummingbird
import StoreAPI
import StoreClient

/// `POST /mail/{mailbox}/act`: what the list's toolbar and a message's buttons do to the
/// checked messages (`uid`, many): mark read or unread, flag or unflag, delete (to Trash; from
/// Trash for good), junk and not junk (RFC 5788 `$Junk`/`$NotJunk`, moved to Junk or INBOX),
/// or move to the folder `to`. Then back to `back`, a page of ours.
struct ActionRoutes {
    let webmail: Webmail

    /// Messages one action may name: a page of the list is at most 500.
    static let maxMessages = 1000

    func add(to router: Router<WebRequestContext>) {
        router.post("/mail/{mailbox}/act") { request, context in
            let form = try await Webmail.form(request, context: context)
            let session = try await webmail.changingSession(request, form: form)
            let mailbox = try FolderRoutes.mailboxID(context)
            let uids = form.all("uid").compactMap { UInt32($0) }.filter { $0 > 0 }
            guard !uids.isEmpty, uids.count <= Self.maxMessages else {
                throw WebError.badRequest("Choose at least one message (and at most \(Self.maxMessages)).")
            }
            let set = uids.map(String.init).joined(separator: ",")
            try await act(form["action"] ?? "", on: set, in: mailbox, to: form["to"].flatMap { Int64($0) }, session: session)
            return Webmail.redirect(Self.back(form["back"], mailbox: mailbox))
        }
    }

    func act(_ action: String, on uids: String, in mailbox: Int64, to target: Int64?, session: WebSession) async throws {
        let store = webmail.store
        let account = session.account
        func flags(_ operation: FlagUpdateRequest.Operation, _ names: [String]) async throws {
            _ = try await store.updateFlags(account, mailbox: mailbox, FlagUpdateRequest(uids: uids, operation: operation, flags: names))
        }
        func move(to target: Int64) async throws {
            guard target != mailbox else { return }
            _ = try await store.copy(account, mailbox: mailbox, CopyRequest(uids: uids, targetMailboxID: target, move: true))
        }
        // Where delete, junk and not junk move to: the account's folders, read once (RFC 6154
        // attributes are kept without the backslash, `Trash`).
        var folders: [MailboxInfo]?
        func folder(_ matches: (MailboxInfo) -> Bool) async throws -> MailboxInfo? {
            if folders == nil { folders = try await store.listMailboxes(account, counts: false) }
            return folders?.first(where: matches)
        }
        func special(_ use: String) async throws -> MailboxInfo? { try await folder { $0.specialUse == use } }
        switch action {
        case "read": try await flags(.add, ["\\Seen"])
        case "unread": try await flags(.remove, ["\\Seen"])
        case "flag": try await flags(.add, ["\\Flagged"])
        case "unflag": try await flags(.remove, ["\\Flagged"])
        case "delete":
            // RFC 6154 §2: \Trash is where deleted messages go; deleting there (or without
            // one) removes them, as an IMAP client's \Deleted and EXPUNGE do.
            if let trash = try await special("Trash"), trash.id != mailbox {
                try await move(to: trash.id)
            } else {
                try await flags(.add, ["\\Deleted"])
                _ = try await store.expunge(account, mailbox: mailbox, ExpungeRequest(uids: uids, onlyDeleted: true))
            }
        case "junk":
            try await flags(.remove, ["$NotJunk"])
            try await flags(.add, ["$Junk"])
            if let junk = try await special("Junk") { try await move(to: junk.id) }
        case "notjunk":
            try await flags(.remove, ["$Junk"])
            try await flags(.add, ["$NotJunk"])
            if let inbox = try await folder({ $0.name.uppercased() == "INBOX" }) { try await move(to: inbox.id) }
        case "move":
            guard let target else { throw WebError.badRequest("Choose the folder to move to.") }
            try await move(to: target)
        default:
            throw WebError.badRequest("Unknown action.")
        }
    }

    /// Where to go after: the page the form names, if it is one of ours (`/mail/…` on this
    /// site: no scheme, no `//`, no backslash, no control character), else the folder.
    static func back(_ given: String?, mailbox: Int64) -> String {
        guard let given, given.hasPrefix("/mail/"), !given.contains("//"), !given.contains("\\"),
            given.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/mail/\(mailbox)" }
        return given
    }
}
