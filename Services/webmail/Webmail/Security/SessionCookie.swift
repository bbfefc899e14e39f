import Hummingbird

/// The cookies of the webmail. Both HttpOnly (no script reads them) and SameSite=Strict (no
/// other site's page sends them, so a cross-site form post arrives without them); Secure
/// when served over TLS.
enum SessionCookie {
    /// The session id (`WebSession.id`), for every path.
    static let session = "buzon_session"
    /// The login form's CSRF token (double submit: the form carries it too), for /login only.
    static let login = "buzon_login"

    static func session(_ id: String, secure: Bool) -> Cookie {
        Cookie(name: session, value: id, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    static func login(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: login, value: token, path: "/login", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// A cookie that replaces `name` by an empty one expiring at once.
    static func cleared(_ name: String, path: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .strict)
    }
}
