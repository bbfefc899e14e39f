/// What the templates show, already in words: every string here is plain text that `{{ }}`
/// escapes (HTMLEscaping.swift); nothing here is markup. swift-mustache reads stored
/// properties only (by `Mirror`), so the flags sections test are stored too.
struct PageView {
    var title: String
    var signedIn = false
    var account = ""
    var csrf = ""
    var login: LoginView?
    var folder: FolderView?
    var message: MessageView?
    var folderSettings: FolderSettingsView?
    var error: ErrorView?
}

struct LoginView {
    var token: String
    var username: String
    var problem: String
    let hasProblem: Bool

    init(token: String, username: String = "", problem: String = "") {
        self.token = token
        self.username = username
        self.problem = problem
        hasProblem = !problem.isEmpty
    }
}

struct FolderLink {
    var id: Int64
    var href: String
    /// The last level of the name, shown indented by `depth`.
    var label: String
    /// The whole name (`Archive/2026`), for menus.
    var name: String
    var depth: Int
    var unread: Int
    var current: Bool
    let hasUnread: Bool

    init(id: Int64, href: String, label: String, name: String, depth: Int, unread: Int, current: Bool) {
        (self.id, self.href, self.label, self.name, self.depth) = (id, href, label, name, depth)
        (self.unread, self.current) = (unread, current)
        hasUnread = unread > 0
    }
}

struct FolderView {
    var folders: [FolderLink]
    /// The folders messages can be moved to (all but this one).
    var targets: [FolderLink]
    var id: Int64
    var name: String
    /// The folder's highest MODSEQ when the page was made: the script reloads the list when
    /// the live counts show a newer one.
    var modSeq: UInt64
    /// This page's own address (where the toolbar's actions come back to).
    var address: String
    /// The search, as typed; the list shows its results.
    var search: String
    var searching: Bool
    /// The Junk folder (RFC 6154 `\Junk`): its toolbar offers "not junk".
    var isJunk: Bool
    var total: Int
    var unread: Int
    var columns: [SortColumn]
    var rows: [MessageRow]
    var page: Int
    var pages: Int
    var previous: String
    var next: String
    var hasUnread: Bool
    var hasPrevious: Bool
    var hasNext: Bool
}

struct SortColumn {
    var label: String
    var href: String
    var sorted: Bool
    /// ↑ or ↓ on the column the list is sorted by.
    var order: String
}

struct MessageRow {
    var uid: UInt32
    var href: String
    var from: String
    var subject: String
    var date: String
    var isoDate: String
    var size: String
    var unread: Bool
    var flagged: Bool
    var attachment: Bool
}

struct TextSegment {
    var text: String
    /// An http or https URL when the segment is a link (never another scheme).
    var url: String
    let isLink: Bool

    init(text: String, url: String) {
        self.text = text
        self.url = url
        isLink = !url.isEmpty
    }
}

struct AttachmentLink {
    var href: String
    var name: String
    var type: String
    var size: String
}

struct MessageView {
    var folders: [FolderLink]
    var targets: [FolderLink]
    var mailboxID: Int64
    var uid: UInt32
    var folderName: String
    var isJunk: Bool
    var back: String
    var subject: String
    var from: String
    var to: String
    var cc: String
    var date: String
    var isoDate: String
    var unread: Bool
    var flagged: Bool
    var flagsAction: String
    var showHTML: Bool
    var showText: Bool
    var htmlSource: String
    var htmlView: String
    var textView: String
    var hasHTML: Bool
    var hasText: Bool
    var segments: [TextSegment]
    var attachments: [AttachmentLink]
    var rawHref: String
    var hasTo: Bool
    var hasCc: Bool
    var hasAttachments: Bool
}

struct ErrorView {
    var heading: String
    var explanation: String
}
