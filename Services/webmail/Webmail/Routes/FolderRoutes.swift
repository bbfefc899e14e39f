import Foundation
import Hummingbird
import InternetMessage
import StoreAPI
import StoreClient

/// `GET /mail` (to the INBOX) and `GET /mail/{mailbox}?page=&sort=&order=`: a page of a
/// folder, sorted by the store (the same paged SORT as IMAP's), the rows' senders and
/// subjects from the parses kept since delivery, read in one batch.
struct FolderRoutes {
    let webmail: Webmail

    /// The list's columns and the store's criterion for each.
    static let columns: [(key: String, label: String, criterion: SortKey.Criterion)] = [
        ("from", "From", .displayFrom), ("subject", "Subject", .subject), ("date", "Date", .date), ("size", "Size", .size),
    ]

    func add(to router: Router<WebRequestContext>) {
        router.get("/") { _, _ in Webmail.redirect("/mail") }
        router.get("/mail") { request, _ in
            let session = try await webmail.session(request)
            let folders = try await webmail.store.listMailboxes(session.account, counts: false)
            guard let inbox = folders.first(where: { $0.name.uppercased() == "INBOX" }) ?? folders.first else { throw WebError.notFound }
            return Webmail.redirect("/mail/\(inbox.id)")
        }
        router.get("/mail/{mailbox}") { request, context in
            let session = try await webmail.session(request)
            let mailbox = try Self.mailboxID(context)
            // Read as a form: a browser's GET form writes spaces as `+` (WHATWG URL §5.1).
            return try await folderPage(session: session, mailbox: mailbox, query: FormFields(request.uri.query ?? ""))
        }
    }

    func folderPage(session: WebSession, mailbox: Int64, query: FormFields) async throws -> Response {
        let sortKey = query["sort"].flatMap { key in Self.columns.first { $0.key == key } } ?? Self.columns[2]
        let ascending = query["order"] == "asc" || (query["order"] == nil && sortKey.key != "date" && sortKey.key != "size")
        // Bounded, so that the offset below cannot overflow whatever the link says.
        let requested = min(max(query["page"].flatMap { Int($0) } ?? 1, 1), 10_000_000)
        let search = String((query["q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(500))
        let size = webmail.configuration.pageSize

        let folders = try await webmail.store.listMailboxes(session.account)
        guard let current = folders.first(where: { $0.id == mailbox }) else { throw WebError.notFound }
        // A page past the end shows the last one (the folder may have shrunk since the link).
        var page = requested
        let criteria = [SortKey(sortKey.criterion, reverse: !ascending)]
        let filter = SearchSyntax.query(search)
        var sorted = try await webmail.store.sort(
            session.account, mailbox: mailbox, SortRequest(query: filter, criteria: criteria, offset: (page - 1) * size, limit: size))
        let totalPages = max(1, (sorted.total + size - 1) / size)
        if page > totalPages {
            page = totalPages
            sorted = try await webmail.store.sort(
                session.account, mailbox: mailbox, SortRequest(query: filter, criteria: criteria, offset: (page - 1) * size, limit: size))
        }
        let rows = try await Self.rows(webmail.store, account: session.account, mailbox: mailbox, uids: sorted.uids)

        let order = ascending ? "asc" : "desc"
        let links = FolderLinks(mailbox: mailbox, search: search)
        let folderLinks = Self.folderLinks(folders, current: mailbox)
        let view = FolderView(
            folders: folderLinks, targets: folderLinks.filter { !$0.current }, id: mailbox, name: current.name,
            modSeq: current.highestModSeq,
            address: links.page(sort: sortKey.key, order: order, page: page), search: search, searching: !search.isEmpty,
            isJunk: current.specialUse == "Junk",
            total: sorted.total, unread: current.unseen,
            columns: Self.columns.map { column in
                let isSorted = column.key == sortKey.key
                // A click on the sorted column turns its order round.
                let next = isSorted ? (ascending ? "desc" : "asc") : (column.key == "date" || column.key == "size" ? "desc" : "asc")
                return SortColumn(
                    label: column.label, href: links.page(sort: column.key, order: next, page: 1), sorted: isSorted,
                    order: ascending ? "↑" : "↓")
            },
            rows: rows, page: page, pages: totalPages,
            previous: page > 1 ? links.page(sort: sortKey.key, order: order, page: page - 1) : "",
            next: page < totalPages ? links.page(sort: sortKey.key, order: order, page: page + 1) : "",
            hasUnread: current.unseen > 0, hasPrevious: page > 1, hasNext: page < totalPages)
        var frame = webmail.page(Self.title(current), session: session)
        frame.folder = view
        return webmail.pages.response(frame)
    }

    /// `(3) INBOX — Buzón`: the unread count first, so that a tab shows it.
    static func title(_ mailbox: MailboxInfo) -> String {
        (mailbox.unseen > 0 ? "(\(mailbox.unseen)) " : "") + mailbox.name + " — Buzón"
    }

    /// The rows of `uids`, in that order.
    static func rows(_ store: StoreClient, account: String, mailbox: Int64, uids: [UInt32]) async throws -> [MessageRow] {
        guard !uids.isEmpty else { return [] }
        var found: [UInt32: MessageRow] = [:]
        var after: UInt32? = nil
        let set = uids.map(String.init).joined(separator: ",")
        repeat {
            let page = try await store.messageBatch(
                account, mailbox: mailbox, MessageBatchRequest(uids: set, content: MessageBatchContent.none, parse: true, after: after))
            for item in page.items {
                found[item.summary.uid] = row(item, mailbox: mailbox)
            }
            after = page.nextAfter
        } while after != nil
        return uids.compactMap { found[$0] }
    }

    static func row(_ item: MessageBatchItem, mailbox: Int64) -> MessageRow {
        let summary = item.summary
        let parse = try? JSONDecoder().decode(ParsedMessage.self, from: Data(item.parse))
        let envelope = parse?.envelope ?? Envelope()
        let sent = HeaderText.sent(envelope, arrived: summary.internalDate)
        let attachment = parse.map { MessageContent(parse: $0, bytes: []).attachments.isEmpty == false } ?? false
        return MessageRow(
            uid: summary.uid, href: "/mail/\(mailbox)/\(summary.uid)", from: HeaderText.sender(envelope.from),
            subject: HeaderText.subject(envelope),
            date: DisplayFormat.shortDate(sent), isoDate: DisplayFormat.isoDate(sent),
            size: DisplayFormat.size(summary.size), unread: !summary.flags.contains("\\Seen"),
            flagged: summary.flags.contains("\\Flagged"), attachment: attachment)
    }

    /// The folders in name order, INBOX first, each indented by its depth in the hierarchy.
    static func folderLinks(_ folders: [MailboxInfo], current: Int64) -> [FolderLink] {
        let ordered = folders.sorted { a, b in
            let (ai, bi) = (a.name.uppercased() == "INBOX", b.name.uppercased() == "INBOX")
            return ai != bi ? ai : a.name < b.name
        }
        return ordered.map { folder in
            let parts = folder.name.split(separator: "/")
            return FolderLink(
                id: folder.id, href: "/mail/\(folder.id)", label: parts.last.map(String.init) ?? folder.name, name: folder.name,
                depth: min(parts.count - 1, 8), unread: folder.unseen, current: folder.id == current)
        }
    }

    static func mailboxID(_ context: WebRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("mailbox").flatMap({ Int64($0) }), id > 0 else { throw WebError.notFound }
        return id
    }
}

/// The addresses of a folder's pages, the search carried along.
struct FolderLinks {
    let mailbox: Int64
    let search: String

    func page(sort: String, order: String, page: Int) -> String {
        var link = "/mail/\(mailbox)?sort=\(sort)&order=\(order)&page=\(page)"
        if !search.isEmpty {
            var allowed = CharacterSet.urlQueryAllowed
            // `/` and `:` too: the page's address must not hold `//` (ActionRoutes.back refuses it).
            allowed.remove(charactersIn: "&=+#;/:")
            link += "&q=" + (search.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }
        return link
    }
}
