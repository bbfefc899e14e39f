import Hummingbird
import StoreAPI

/// `GET/PUT /v1/accounts/{account}/quota`: an account's quota (RFC 9208), read by the IMAP
/// gateway (GETQUOTA, GETQUOTAROOT) and set by `mailctl quota`.
struct QuotaRoutes {
    let store: StoreContext

    /// The largest limit taken: 2^53 - 1 KiB or messages, far beyond any disk, and exact in JSON
    /// numbers and in the octet arithmetic (`limit * 1024` stays within Int64).
    static let maxLimit: Int64 = (1 << 53) - 1

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.getQuota) { _, context, _ in
            try await store.storage.quota(account: try RouteSupport.account(context))
        }
        router.on(StoreOperations.setQuota) { _, context, body in
            let account = try RouteSupport.account(context)
            let body = try await body()
            for limit in [body.storageLimit, body.messageLimit].compactMap({ $0 }) where !(0...Self.maxLimit).contains(limit) {
                throw StoreError.badRequest(APIErrorCode.badRequest, "a limit is a number from 0 to \(Self.maxLimit)")
            }
            return try await store.storage.setQuota(account: account, body)
        }
    }
}
