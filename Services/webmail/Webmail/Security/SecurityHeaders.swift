import HTTPTypes
import Hummingbird

/// Headers on every answer: no MIME sniffing, no framing by other sites, no Referer to other
/// sites (`same-origin`: a link followed from a page tells its site nothing, while the
/// browser's posts of our own forms carry our real `Origin` — with `no-referrer` they say
/// `Origin: null`, which a check cannot tell from another site's), and, for pages that set
/// none of their own, a Content-Security-Policy that allows only our own script and style.
/// Message content (`/html`, parts, raw source) sets the sandbox policy itself (`ContentPolicy`)
/// and `no-referrer`.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The HTTPS listener: browsers are told to come back over HTTPS only (RFC 6797).
    let secure: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if secure { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "same-origin" }
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = ContentPolicy.page
            response.headers[.xFrameOptions] = "DENY"
        }
        if response.headers[.cacheControl] == nil {
            // Mail is private: no shared cache keeps it, and Back after logout shows nothing.
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

enum ContentPolicy {
    /// The webmail's own pages: our script and style only, no inline script, no plugins,
    /// forms only to us, frames only from us (the message frame), framed by nobody.
    static let page =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A message's HTML, shown in `<iframe sandbox>`: a unique origin with no script (the
    /// `sandbox` directive, even if the frame is opened on its own), nothing fetched but
    /// `data:` images (remote content off), inline style allowed, framed only by our pages.
    static let message = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

    /// Attachments and the raw source: never a document that runs anything, wherever opened.
    static let download = "sandbox; default-src 'none'; frame-ancestors 'none'"
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    /// Chromium's switch for resolving the names of a document's links ahead of a click.
    static let dnsPrefetchControl = Self("X-DNS-Prefetch-Control")!
    /// Fetch Metadata (W3C): `cross-site` on a request another site's page made.
    static let secFetchSite = Self("Sec-Fetch-Site")!
    /// The session's CSRF token on a script's POST (a form carries it as the field `csrf`).
    static let csrfToken = Self("X-CSRF-Token")!
}
