import Hummingbird
import StoreAPI
import StoreClient

/// `GET /folders` and `POST /folders`, `/folders/{id}/rename`, `/folders/{id}/delete`: the
/// account's folders made, renamed (children move along) and deleted by the store, as IMAP
/// CREATE, RENAME and DELETE do. INBOX and the special-use folders are not offered.
struct FolderSettingsRoutes {
    let webmail: Webmail

    func add(to router: Router<WebRequestContext>) {
        router.get("/folders") { request, _ in
            let session = try await webmail.session(request)
            let folders = try await webmail.store.listMailboxes(session.account)
            var frame = webmail.page("Folders — Buzón", session: session)
            let links = FolderRoutes.folderLinks(folders, current: 0)
            frame.folderSettings = FolderSettingsView(
                folders: links,
                entries: links.map { link in
                    let folder = folders.first { $0.id == link.id }
                    return FolderEntry(
                        id: link.id, name: link.name, messages: folder?.messages ?? 0,
                        editable: folder.map { $0.specialUse == nil && $0.name.uppercased() != "INBOX" } ?? false)
                })
            return webmail.pages.response(frame)
        }
        router.post("/folders") { request, context in
            let form = try await Webmail.form(request, context: context)
            let session = try await webmail.changingSession(request, form: form)
            _ = try await webmail.store.createMailbox(session.account, CreateMailboxRequest(name: try Self.name(form), subscribed: true))
            return Webmail.redirect("/folders")
        }
        router.post("/folders/{id}/rename") { request, context in
            let form = try await Webmail.form(request, context: context)
            let session = try await webmail.changingSession(request, form: form)
            let folder = try await editable(session, context)
            _ = try await webmail.store.updateMailbox(session.account, mailbox: folder.id, UpdateMailboxRequest(name: try Self.name(form)))
            return Webmail.redirect("/folders")
        }
        router.post("/folders/{id}/delete") { request, context in
            let form = try await Webmail.form(request, context: context)
            let session = try await webmail.changingSession(request, form: form)
            let folder = try await editable(session, context)
            try await webmail.store.deleteMailbox(session.account, mailbox: folder.id)
            return Webmail.redirect("/folders")
        }
    }

    /// The folder of the path, if it is this account's and neither INBOX nor special-use.
    func editable(_ session: WebSession, _ context: WebRequestContext) async throws -> MailboxInfo {
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }),
            let folder = try await webmail.store.listMailboxes(session.account, counts: false).first(where: { $0.id == id })
        else { throw WebError.notFound }
        guard folder.specialUse == nil, folder.name.uppercased() != "INBOX" else {
            throw WebError.badRequest("INBOX and the special folders (Sent, Drafts, Trash, Junk) keep their names.")
        }
        return folder
    }

    static func name(_ form: FormFields) throws -> String {
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WebError.badRequest("A folder needs a name.") }
        return name
    }
}
