import Testing

@testable import Webmail

/// Every value a sender controls reaches a page only through `{{ }}`, escaped by Unicode
/// scalar (HTMLEscaping.swift): no markup, no way out of an attribute, whatever follows.
@Suite struct PageEscapingTests {
    /// A `"` or `<` followed by a combining mark is one grapheme cluster; swift-mustache's
    /// own escaping missed it, the browser's tokenizer would not.
    static let hostile = [
        "\"\u{301} onmouseover=alert(1) x=\"", "'\u{301} onfocus=alert(1) '", "<\u{301}script>alert(1)</script>",
        "<img src=x onerror=alert(1)>", "&lt;script&gt;", "a\u{0}b",
    ]

    static let openingMark = "<\u{301}"
    static let quoteMark = "\"\u{301}"

    @Test(arguments: hostile)
    func escapesByScalar(_ value: String) {
        let escaped = HTMLEscaping.escape(value)
        #expect(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) })
        #expect(!escaped.unicodeScalars.contains("\u{0}"))
    }

    /// The exact entities, so that an escaper that drops characters instead would fail.
    @Test func escapesToEntities() {
        #expect(HTMLEscaping.escape(Self.hostile[0]) == "&quot;\u{301} onmouseover=alert(1) x=&quot;")
        #expect(HTMLEscaping.escape("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("a\u{0}b\tc") == "a\u{FFFD}b\tc")
    }

    @Test func escapesEveryField() throws {
        let pages = try Pages()
        for value in Self.hostile {
            let folder = FolderLink(id: 1, href: "/mail/1", label: value, name: value, depth: 0, unread: 2, current: true)
            let row = MessageRow(
                uid: 1, href: "/mail/1/1", from: value, subject: value, date: value, isoDate: value, size: value, unread: true,
                flagged: true,
                attachment: true)
            let message = MessageView(
                folders: [folder], targets: [folder], mailboxID: 1, uid: 1, folderName: value, isJunk: false, back: "/mail/1",
                subject: value, from: value,
                to: value, cc: value, date: value,
                isoDate: value, unread: false, flagged: false, flagsAction: "/mail/1/1/flags", showHTML: false, showText: true,
                htmlSource: "/mail/1/1/html", htmlView: "?view=html", textView: "?view=text", hasHTML: true, hasText: true,
                segments: [TextSegment(text: value, url: ""), TextSegment(text: value, url: "https://example.com/" + value)],
                attachments: [AttachmentLink(href: "/mail/1/1/part/2", name: value, type: value, size: value)], rawHref: "/mail/1/1/raw",
                hasTo: true, hasCc: true, hasAttachments: true)
            let views = [
                PageView(title: value, login: LoginView(token: "t", username: value, problem: value)),
                PageView(
                    title: value, signedIn: true, account: value, csrf: "c",
                    folder: FolderView(
                        folders: [folder], targets: [folder], id: 1, name: value, modSeq: 1, address: "/mail/1", search: value,
                        searching: true, isJunk: false,
                        total: 1, unread: 1,
                        columns: [SortColumn(label: "Date", href: "/mail/1?sort=date", sorted: true, order: "↓")], rows: [row], page: 1,
                        pages: 2, previous: "/mail/1?page=1", next: "/mail/1?page=2", hasUnread: true, hasPrevious: true, hasNext: true)),
                PageView(title: value, signedIn: true, account: value, csrf: "c", message: message),
                PageView(title: value, error: ErrorView(heading: value, explanation: value)),
            ]
            for view in views {
                let html = pages.html(view)
                #expect(!html.isEmpty)
                // The value never appears unescaped: its first special character is always an entity.
                #expect(!html.contains(value), "unescaped: \(value)")
                #expect(!html.contains("<img"), "markup from a value: \(value)")
                // (Constants: the #expect macro mangles these literals.)
                #expect(!html.contains(Self.openingMark))
                #expect(!html.contains(Self.quoteMark))
            }
        }
    }

    /// Every section a flag opens shows (swift-mustache sees stored properties only).
    @Test func pagesCarryTheirParts() throws {
        let pages = try Pages()
        let login = pages.html(PageView(title: "Log in", login: LoginView(token: "TOKEN", problem: "Wrong.")))
        #expect(login.contains(#"name="csrf" value="TOKEN""#))
        #expect(login.contains(#"<form method="post" action="/login">"#))
        #expect(login.contains(#"<p class="problem" role="alert">Wrong.</p>"#))
        #expect(!login.contains("csrf-token"))

        let folder = FolderLink(id: 7, href: "/mail/7", label: "INBOX", name: "INBOX", depth: 0, unread: 3, current: true)
        let list = pages.html(
            PageView(
                title: "(3) INBOX", signedIn: true, account: "a@example.test", csrf: "C",
                folder: FolderView(
                    folders: [folder], targets: [], id: 7, name: "INBOX", modSeq: 1, address: "/mail/7", search: "", searching: false,
                    isJunk: true,
                    total: 80,
                    unread: 3, columns: [], rows: [], page: 2, pages: 3,
                    previous: "/mail/7?page=1", next: "/mail/7?page=3", hasUnread: true, hasPrevious: true, hasNext: true)))
        #expect(list.contains(#"<span class="unread-count">3</span>"#))
        #expect(list.contains(#"<meta name="csrf-token" content="C">"#))
        #expect(list.contains(#"<a rel="prev" href="/mail/7?page=1">"#) && list.contains(#"<a rel="next" href="/mail/7?page=3">"#))
        #expect(list.contains("80 messages, 3 unread"))
        #expect(list.contains(#"value="notjunk""#) && !list.contains(#"value="junk""#) && list.contains(#"value="unflag""#))

        let message = pages.html(
            PageView(
                title: "x", signedIn: true, account: "a@example.test", csrf: "C",
                message: MessageView(
                    folders: [folder], targets: [folder], mailboxID: 7, uid: 1, folderName: "INBOX", isJunk: false, back: "/mail/7",
                    subject: "S",
                    from: "F", to: "T", cc: "", date: "D",
                    isoDate: "I", unread: false, flagged: true, flagsAction: "/mail/7/1/flags", showHTML: false, showText: true,
                    htmlSource: "/mail/7/1/html", htmlView: "?view=html", textView: "?view=text", hasHTML: false, hasText: true,
                    segments: Linkify.segments("see https://example.com/x now"),
                    attachments: [AttachmentLink(href: "/mail/7/1/part/2", name: "a.pdf", type: "application/pdf", size: "1 kB")],
                    rawHref: "/mail/7/1/raw", hasTo: true, hasCc: false, hasAttachments: true)))
        #expect(message.contains(#"<a href="https://example.com/x" rel="noopener noreferrer" target="_blank">https://example.com/x</a>"#))
        #expect(message.contains(#"<a href="/mail/7/1/part/2">a.pdf</a>"#))
        #expect(message.contains("<dt>To</dt>") && !message.contains("<dt>Cc</dt>"))
        #expect(message.contains(#"value="unflag""#) && message.contains(#"value="unread""#))
    }
}
