import Foundation
import HTTPTypes
import Hummingbird
import StoreAPI
import StoreClient

/// What every route stands on: the store, the templates, the settings, and whether this
/// listener is the TLS one (cookies are then Secure).
struct Webmail: Sendable {
    let store: StoreClient
    let pages: Pages
    let configuration: WebmailConfiguration
    let secure: Bool

    /// The live session of the request's cookie, or `WebError.signIn`.
    func session(_ request: Request) async throws -> WebSession {
        guard let id = request.cookies[SessionCookie.session]?.value, let session = try await store.webSession(id) else {
            throw WebError.signIn
        }
        return session
    }

    /// For a state change: the session, the form's token or the `X-CSRF-Token` header equal
    /// to the session's, and a request not made by another site's page.
    func changingSession(_ request: Request, form: FormFields) async throws -> WebSession {
        let session = try await session(request)
        try Self.requireSameOrigin(request)
        guard FormToken.equal(form["csrf"] ?? request.headers[.csrfToken], session.csrf) else { throw WebError.forbidden }
        return session
    }

    /// A request another site's page made says so in `Sec-Fetch-Site` (W3C Fetch Metadata,
    /// browsers since 2020) or, in older browsers, `Origin`; either refuses it. Our pages'
    /// `Referrer-Policy: same-origin` lets a browser send our real origin on our own forms, so
    /// `Origin: null` (a sandboxed or privacy-stripped request) is refused too. Neither header
    /// (curl, a script of the user's): the tokens alone decide.
    static func requireSameOrigin(_ request: Request) throws {
        if let site = request.headers[.secFetchSite] {
            guard site == "same-origin" || site == "none" else { throw WebError.forbidden }
            return
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard origin == "http://" + host || origin == "https://" + host else { throw WebError.forbidden }
        }
    }

    /// A form body (`application/x-www-form-urlencoded`), up to the context's upload limit.
    static func form(_ request: Request, context: WebRequestContext) async throws -> FormFields {
        var request = request
        return FormFields(String(buffer: try await request.collectBody(upTo: context.maxUploadSize)))
    }

    /// The page frame of a signed-in user.
    func page(_ title: String, session: WebSession) -> PageView {
        PageView(title: title, signedIn: true, account: session.account, csrf: session.csrf)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
