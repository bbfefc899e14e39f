import Hummingbird
import Metrics
import StoreAPI

/// What the protocol gateways ask before a session goes on: may this user log in
/// (`POST /v1/auth/verify`), and what is this recipient (`GET /v1/recipients/{address}`).
struct GatewayRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        let v1 = router.group("v1")
        v1.post("auth/verify") { request, context -> Response in
            let body = try await RouteSupport.decode(LoginRequest.self, from: request, context: context)
            guard body.username.utf8.count <= 320, body.password.utf8.count <= 1024 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "username or password too long")
            }
            let result = try await store.login.verify(body)
            Counter(label: "buzon_store_logins_total", dimensions: [("result", result.result.rawValue), ("service", body.service ?? "unknown")]).increment()
            return try RouteSupport.json(result)
        }
        v1.get("recipients/:address") { _, context -> Response in
            let address = try RouteSupport.address(RouteSupport.pathParameter(context, "address"))
            return try RouteSupport.json(try await store.storage.lookupRecipient(address))
        }
    }
}
