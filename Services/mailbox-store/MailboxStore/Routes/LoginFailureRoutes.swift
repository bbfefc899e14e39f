import Hummingbird
import StoreAPI

/// The login policy's counters for the administrator (`mailctl login-failures`, `mailctl user
/// show|unlock`): `GET /v1/login-failures[?account=…][&address=…]` lists those in their window
/// or locked; `DELETE /v1/login-failures?account=…|address=…` clears them, locks included.
///
/// Names are taken as tried, not checked against the accounts: failures are counted for names
/// that do not exist as for those that do (LoginPolicy).
struct LoginFailureRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        router.on(StoreOperations.listLoginFailures) { request, _, _ in
            let (account, address) = try Self.filters(request)
            return LoginFailureList(failures: try await store.login.failures(account: account, address: address))
        }
        router.on(StoreOperations.clearLoginFailures) { request, _, _ in
            // Neither named clears nothing: clearing every counter takes a deliberate filter.
            let (account, address) = try Self.filters(request)
            return LoginFailuresCleared(cleared: try await store.login.clearFailures(account: account, address: address))
        }
    }

    static func filters(_ request: Request) throws -> (account: String?, address: String?) {
        let account = request.uri.queryParameters.get("account")
        let address = request.uri.queryParameters.get("address")
        // Characters, as the document's maxLength counts.
        guard (account?.count ?? 0) <= 320, (address?.count ?? 0) <= 64, account != "", address != "" else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "account or address is empty or too long")
        }
        return (account, address)
    }
}
