import Crypto
import Hummingbird
import StoreAPI

/// `POST /v1/accounts/{account}/web-sessions`, `GET` and `DELETE /v1/web-sessions/{id}`:
/// webmail logins (WebSession.swift). The webmail checked the password before it asks for one.
struct WebSessionRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.createWebSession) { _, context, body in
            let account = try RouteSupport.account(context)
            let ttl = try await body().ttl
            guard WebSessionLimits.ttl.contains(ttl) else {
                throw StoreError.badRequest(
                    APIErrorCode.badRequest, "ttl is \(WebSessionLimits.ttl.lowerBound) to \(WebSessionLimits.ttl.upperBound) seconds")
            }
            let id = WebSessionLimits.newToken()
            let csrf = WebSessionLimits.newToken()
            let made = try await store.storage.createWebSession(account: account, idHash: Self.hash(id), csrf: csrf, ttl: Double(ttl))
            return WebSession(id: id, account: made.account, csrf: csrf, expiresAt: made.expiresAt)
        }
        router.on(StoreOperations.getWebSession) { _, context, _ in
            let id = try Self.id(context)
            guard let found = try await store.storage.webSession(idHash: Self.hash(id)) else { throw Self.notFound }
            return WebSession(id: id, account: found.account, csrf: found.csrf, expiresAt: found.expiresAt)
        }
        router.on(StoreOperations.deleteWebSession) { _, context, _ in
            guard try await store.storage.deleteWebSession(idHash: Self.hash(try Self.id(context))) else { throw Self.notFound }
            return NoContent()
        }
    }

    static let notFound = StoreError.notFound(APIErrorCode.sessionNotFound, "no such session (expired, ended, or the password changed)")

    static func id(_ context: StoreRequestContext) throws -> String {
        let id = RouteSupport.pathParameter(context, "id")
        guard WebSessionLimits.isWellFormed(id) else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "a session id is 43 characters of base64url")
        }
        return id
    }

    static func hash(_ id: String) -> [UInt8] { Array(SHA256.hash(data: Array(id.utf8))) }
}
