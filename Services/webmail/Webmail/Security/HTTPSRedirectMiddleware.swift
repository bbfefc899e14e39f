import Hummingbird

/// The plain-HTTP listener when HTTPS is set up: every request but account setup (which
/// clients fetch over HTTP, and which holds no secret) is sent to the same path over HTTPS, so
/// a user who types `http://` never sends a password or a session cookie in the clear.
struct HTTPSRedirectMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    /// The HTTPS port browsers reach; 443 is left out of the address.
    let port: Int

    static let plainPaths: Set<String> = [
        "/.well-known/autoconfig/mail/config-v1.1.xml", "/mail/config-v1.1.xml", "/autodiscover/autodiscover.xml",
        "/Autodiscover/Autodiscover.xml",
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.plainPaths.contains(request.uri.path) { return try await next(request, context) }
        // The host the browser asked for, without its port; a host that is not a name or an
        // address (no Host, or one with characters a host cannot have) gets no redirect to it.
        let authority = request.head.authority ?? ""
        let host = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.prefix { $0 != ":" })
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.[]:".contains($0)) }) else {
            return Response(status: .badRequest)
        }
        let target = "https://" + host + (port == 443 ? "" : ":\(port)") + request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        // 308 keeps a POST a POST (RFC 9110 §15.4.9).
        return Response(status: .permanentRedirect, headers: [.location: target])
    }
}
