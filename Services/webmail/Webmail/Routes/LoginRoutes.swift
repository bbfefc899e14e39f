import Hummingbird
import StoreAPI
import StoreClient

/// `GET /login`, `POST /login`, `POST /logout`.
///
/// The login form is protected against login CSRF (another site logging the browser into
/// an account of its own) by a double-submit token: the form carries it, and so does a
/// SameSite=Strict cookie that another site's post does not bring. The password is checked
/// by the store, with its delays and locks after repeated failures, under the client's address.
struct LoginRoutes {
    let webmail: Webmail

    func add(to router: Router<WebRequestContext>) {
        router.get("/login") { request, _ in
            if let id = request.cookies[SessionCookie.session]?.value, try await webmail.store.webSession(id) != nil {
                return Webmail.redirect("/mail")
            }
            return form(status: .ok)
        }
        router.post("/login") { request, context in
            let fields = try await Webmail.form(request, context: context)
            try Webmail.requireSameOrigin(request)
            guard let cookie = request.cookies[SessionCookie.login]?.value, FormToken.equal(fields["csrf"], cookie) else {
                throw WebError.forbidden
            }
            let username = fields["username"] ?? ""
            let result: LoginResult
            do {
                result = try await webmail.store.verifyLogin(
                    LoginRequest(
                        username: username, password: fields["password"] ?? "", clientAddress: context.clientAddress, service: "webmail"))
            } catch let error as StoreClientError where !error.isTemporary {
                // Not an address at all, a password too long: wrong, like any other.
                result = LoginResult(result: .invalid)
            }
            switch result.result {
            case .ok:
                let session = try await webmail.store.createWebSession(result.address ?? username, ttl: webmail.configuration.sessionTTL)
                var response = Webmail.redirect("/mail")
                response.setCookie(SessionCookie.session(session.id, secure: webmail.secure))
                response.setCookie(SessionCookie.cleared(SessionCookie.login, path: "/login", secure: webmail.secure))
                return response
            case .invalid:
                return form(status: .unauthorized, username: username, problem: "Wrong address or password.")
            case .locked:
                let wait = result.retryAfter ?? 60
                var response = form(
                    status: .tooManyRequests, username: username,
                    problem: "Too many failed logins. Try again in \(wait) seconds.")
                response.headers[.retryAfter] = String(wait)
                return response
            }
        }
        router.post("/logout") { request, context in
            let fields = try await Webmail.form(request, context: context)
            let session = try await webmail.changingSession(request, form: fields)
            try await webmail.store.deleteWebSession(session.id)
            var response = Webmail.redirect("/login")
            response.setCookie(SessionCookie.cleared(SessionCookie.session, path: "/", secure: webmail.secure))
            return response
        }
    }

    /// The form with a new login token, also set as its cookie.
    func form(status: HTTPResponse.Status, username: String = "", problem: String = "") -> Response {
        let token = WebSessionLimits.newToken()
        var response = webmail.pages.response(
            PageView(title: "Log in — Buzón", login: LoginView(token: token, username: username, problem: problem)), status: status)
        response.setCookie(SessionCookie.login(token, secure: webmail.secure))
        return response
    }
}
