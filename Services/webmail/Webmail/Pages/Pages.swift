import Hummingbird
import Mustache
import StoreAPI

/// The templates, parsed once at start-up, and pages rendered from them.
struct Pages: Sendable {
    let library: MustacheLibrary

    init() throws {
        _ = HTMLEscaping.registered
        var library = MustacheLibrary()
        for (name, text) in [
            (PageTemplate.name, PageTemplate.text), (LoginTemplate.name, LoginTemplate.text),
            (FoldersTemplate.name, FoldersTemplate.text), (FolderTemplate.name, FolderTemplate.text),
            (MessageTemplate.name, MessageTemplate.text), (ErrorTemplate.name, ErrorTemplate.text),
            (FolderSettingsTemplate.name, FolderSettingsTemplate.text),
            ClientSetupTemplates.thunderbird, ClientSetupTemplates.outlook, ClientSetupTemplates.apple,
        ] {
            try library.register(text, named: name)
        }
        self.library = library
    }

    /// A document of `template` (the setup documents), XML rather than a page.
    func document(_ view: Any, template: String, contentType: String) -> Response {
        let text = library.render(view, withTemplate: template) ?? ""
        // The pragma line leaves the document's first line empty; XML wants its declaration first.
        let trimmed = text.drop { $0 == "\n" || $0 == "\r" }
        return Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: String(trimmed))))
    }

    func html(_ page: PageView) -> String {
        library.render(page, withTemplate: PageTemplate.name) ?? ""
    }

    func response(_ page: PageView, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html(page))))
    }

    func error(_ status: HTTPResponse.Status, heading: String, explanation: String) -> Response {
        response(PageView(title: heading + " — Buzón", error: ErrorView(heading: heading, explanation: explanation)), status: status)
    }
}
