import Foundation
import HTTPTypes
import Hummingbird
import InternetMessage
import StoreAPI
import StoreClient

/// One message: `GET /mail/{mailbox}/{uid}` (the page; opening it marks it read, as an IMAP
/// client's FETCH BODY[] does), `…/html` (its HTML for the sandboxed frame), `…/part/{n}`
/// (an attachment, always downloaded), `…/raw` (the source as text), and
/// `POST …/flags` (read, unread, flag, unflag).
struct MessageRoutes {
    let webmail: Webmail

    func add(to router: Router<WebRequestContext>) {
        router.get("/mail/{mailbox}/{uid}") { request, context in
            let session = try await webmail.session(request)
            let (mailbox, uid) = try Self.ids(context)
            let query = request.uri.queryParameters
            return try await messagePage(
                session: session, mailbox: mailbox, uid: uid, view: query.get("view"), markRead: query.get("seen") != "keep")
        }
        router.get("/mail/{mailbox}/{uid}/html") { request, context in
            let session = try await webmail.session(request)
            let (mailbox, uid) = try Self.ids(context)
            guard let html = try await content(session, mailbox, uid).html else { throw WebError.notFound }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: ContentPolicy.message,
                    .referrerPolicy: "no-referrer", .dnsPrefetchControl: "off",
                ],
                body: .init(byteBuffer: ByteBuffer(string: HTMLNeutralizer.neutralize(html))))
        }
        router.get("/mail/{mailbox}/{uid}/part/{part}") { request, context in
            let session = try await webmail.session(request)
            let (mailbox, uid) = try Self.ids(context)
            let number = context.parameters.get("part") ?? ""
            let content = try await content(session, mailbox, uid)
            guard let part = content.part(number) else { throw WebError.notFound }
            return Download.response(
                bytes: part.decodedBody(in: content.bytes), type: part.contentType.mimeType,
                name: MessageContent.fileName(part, number: number))
        }
        router.get("/mail/{mailbox}/{uid}/raw") { request, context in
            let session = try await webmail.session(request)
            let (mailbox, uid) = try Self.ids(context)
            let bytes = try await webmail.store.rawMessage(session.account, mailbox: mailbox, uid: uid)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/plain; charset=utf-8", .contentSecurityPolicy: ContentPolicy.download,
                    .referrerPolicy: "no-referrer",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.post("/mail/{mailbox}/{uid}/flags") { request, context in
            let fields = try await Webmail.form(request, context: context)
            let session = try await webmail.changingSession(request, form: fields)
            let (mailbox, uid) = try Self.ids(context)
            let change: (FlagUpdateRequest.Operation, String)
            switch fields["action"] {
            case "read": change = (.add, "\\Seen")
            case "unread": change = (.remove, "\\Seen")
            case "flag": change = (.add, "\\Flagged")
            case "unflag": change = (.remove, "\\Flagged")
            default: throw WebError.badRequest("The action is one of read, unread, flag and unflag.")
            }
            let result = try await webmail.store.updateFlags(
                session.account, mailbox: mailbox, FlagUpdateRequest(uids: String(uid), operation: change.0, flags: [change.1]))
            guard !result.messages.isEmpty else { throw WebError.notFound }
            // Back to the message, which this visit does not mark read again (`keep`): a
            // message just marked unread stays unread.
            return Webmail.redirect("/mail/\(mailbox)/\(uid)?seen=keep")
        }
    }

    func messagePage(session: WebSession, mailbox: Int64, uid: UInt32, view: String?, markRead: Bool) async throws -> Response {
        let (content, summary) = try await read(session, mailbox, uid)
        var unread = !summary.flags.contains("\\Seen")
        if unread && markRead {
            _ = try await webmail.store.updateFlags(
                session.account, mailbox: mailbox, FlagUpdateRequest(uids: String(uid), operation: .add, flags: ["\\Seen"]))
            unread = false
        }
        let folders = try await webmail.store.listMailboxes(session.account)
        guard let current = folders.first(where: { $0.id == mailbox }) else { throw WebError.notFound }
        let envelope = content.parse.envelope
        let sent = HeaderText.sent(envelope, arrived: summary.internalDate)
        let hasHTML = content.htmlPart != nil
        let hasText = content.textPart != nil
        let showHTML = hasHTML && (view != "text" || !hasText)
        let base = "/mail/\(mailbox)/\(uid)"
        let attachments = content.attachments.map { number, part in
            AttachmentLink(
                href: base + "/part/" + number, name: MessageContent.fileName(part, number: number), type: part.contentType.mimeType,
                size: DisplayFormat.size(part.body.length))
        }
        let (to, cc) = (HeaderText.list(envelope.to), HeaderText.list(envelope.cc))
        let folderLinks = FolderRoutes.folderLinks(folders, current: mailbox)
        let message = MessageView(
            folders: folderLinks, targets: folderLinks.filter { !$0.current }, mailboxID: mailbox, uid: uid, folderName: current.name,
            isJunk: current.specialUse == "Junk",
            back: "/mail/\(mailbox)",
            subject: HeaderText.subject(envelope), from: HeaderText.list(envelope.from), to: to, cc: cc,
            date: DisplayFormat.shortDate(sent),
            isoDate: DisplayFormat.isoDate(sent), unread: unread, flagged: summary.flags.contains("\\Flagged"),
            flagsAction: base + "/flags", showHTML: showHTML, showText: !showHTML, htmlSource: base + "/html",
            htmlView: base + "?view=html", textView: base + "?view=text", hasHTML: hasHTML, hasText: hasText,
            segments: showHTML ? [] : Linkify.segments(content.text ?? ""),
            attachments: attachments, rawHref: base + "/raw", hasTo: !to.isEmpty, hasCc: !cc.isEmpty,
            hasAttachments: !attachments.isEmpty)
        var frame = webmail.page(HeaderText.subject(envelope) + " — Buzón", session: session)
        frame.message = message
        return webmail.pages.response(frame)
    }

    func content(_ session: WebSession, _ mailbox: Int64, _ uid: UInt32) async throws -> MessageContent {
        try await read(session, mailbox, uid).content
    }

    /// The message's bytes, parse and summary, in one store request.
    func read(_ session: WebSession, _ mailbox: Int64, _ uid: UInt32) async throws -> (content: MessageContent, summary: MessageSummary) {
        let batch = try await webmail.store.messageBatch(
            session.account, mailbox: mailbox, MessageBatchRequest(uids: String(uid), content: .whole, parse: true))
        guard let item = batch.items.first(where: { $0.summary.uid == uid }),
            let parse = try? JSONDecoder().decode(ParsedMessage.self, from: Data(item.parse))
        else { throw WebError.notFound }
        return (MessageContent(parse: parse, bytes: item.bytes), item.summary)
    }

    static func ids(_ context: WebRequestContext) throws -> (Int64, UInt32) {
        guard let uid = context.parameters.get("uid").flatMap({ UInt32($0) }), uid > 0 else { throw WebError.notFound }
        return (try FolderRoutes.mailboxID(context), uid)
    }
}

/// An attachment as a download: never shown in our origin as a document. Only types a
/// browser renders without running anything keep their type (images, PDF); everything else,
/// HTML and SVG first, is `application/octet-stream`.
enum Download {
    static let keptTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"]

    static func response(bytes: [UInt8], type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: keptTypes.contains(type) ? type : "application/octet-stream",
                .contentDisposition: disposition(name), .contentSecurityPolicy: ContentPolicy.download, .referrerPolicy: "no-referrer",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 §4.3):
    /// the ASCII name for old clients, the real one for the rest. No quote, backslash,
    /// control character or path separator survives into either.
    static func disposition(_ name: String) -> String {
        let cleaned = String(
            name.unicodeScalars.map { s in
                s.value < 0x20 || s.value == 0x7F || "\"\\/".unicodeScalars.contains(s) ? "_" : Character(s)
            })
        let ascii = String(cleaned.unicodeScalars.map { $0.isASCII ? Character($0) : "_" })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(0x80)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = cleaned.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
