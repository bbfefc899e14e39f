import Hummingbird
import StoreAPI

/// `POST /v1/accounts/{account}/locks/{name}`, `PUT` and `DELETE …/locks/{name}/{token}`:
/// leases that hold across gateway instances (the POP3 maildrop lock, RFC 1939 §8).
struct LockRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.acquireLock) { _, context, body in
            let account = try RouteSupport.account(context)
            let name = try Self.name(context)
            let body = try await body()
            let ttl = try Self.ttl(body.ttl)
            guard !body.owner.isEmpty, body.owner.unicodeScalars.count <= 200 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "owner is 1 to 200 characters")
            }
            guard let lease = try await store.storage.acquireLock(account: account, name: name, owner: body.owner, ttl: ttl) else {
                throw StoreError.conflict(APIErrorCode.inUse, "the lock is held by another session")
            }
            return lease
        }
        router.on(StoreOperations.renewLock) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            guard
                let lease = try await store.storage.renewLock(
                    account: account, name: try Self.name(context),
                    token: RouteSupport.pathParameter(context, "token"),
                    ttl: try Self.ttl(body.ttl))
            else {
                throw StoreError.notFound(APIErrorCode.lockNotFound, "the lock is not held with this token")
            }
            return lease
        }
        router.on(StoreOperations.releaseLock) { _, context, _ in
            let account = try RouteSupport.account(context)
            guard
                try await store.storage.releaseLock(
                    account: account, name: try Self.name(context),
                    token: RouteSupport.pathParameter(context, "token"))
            else {
                throw StoreError.notFound(APIErrorCode.lockNotFound, "the lock is not held with this token")
            }
            return NoContent()
        }
    }

    static func name(_ context: StoreRequestContext) throws -> String {
        let name = RouteSupport.pathParameter(context, "name")
        guard !name.isEmpty, name.utf8.count <= LockLimits.maxNameLength,
            name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d })
        else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "a lock name is 1 to 32 of a-z, 0-9 and -")
        }
        return name
    }

    static func ttl(_ seconds: Int) throws -> Double {
        guard LockLimits.ttl.contains(seconds) else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "ttl is 1 to 3600 seconds")
        }
        return Double(seconds)
    }
}
