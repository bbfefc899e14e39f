import Hummingbird
import Metrics
import SASL
import StoreAPI

/// What the protocol gateways ask before a session goes on: may this user log in
/// (`POST /v1/auth/verify`, or SCRAM's `POST /v1/auth/scram/start` and `…/finish`), and what
/// is this recipient (`GET /v1/recipients/{address}`).
struct GatewayRoutes {
    let store: StoreContext

    func add(to router: Router<StoreRequestContext>) {
        let v1 = router.group("v1")
        v1.post("auth/verify") { request, context -> Response in
            let body = try await RouteSupport.decode(LoginRequest.self, from: request, context: context)
            // Characters, as JSON Schema's maxLength counts them (openapi.yaml).
            guard body.username.unicodeScalars.count <= 320, body.password.unicodeScalars.count <= 1024 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "username or password too long")
            }
            let result = try await store.login.verify(body)
            Counter(
                label: "buzon_store_logins_total", dimensions: [("result", result.result.rawValue), ("service", body.service ?? "unknown")]
            ).increment()
            return try RouteSupport.json(result)
        }
        // SCRAM-SHA-256 (RFC 5802, RFC 7677): the gateway runs the exchange, the store holds the keys.
        v1.post("auth/scram/start") { request, context -> Response in
            let body = try await RouteSupport.decode(SCRAMStartRequest.self, from: request, context: context)
            guard body.username.unicodeScalars.count <= 320 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "username too long")
            }
            return try RouteSupport.json(try await store.login.scramStart(body))
        }
        v1.post("auth/scram/finish") { request, context -> Response in
            let body = try await RouteSupport.decode(SCRAMFinishRequest.self, from: request, context: context)
            guard body.username.unicodeScalars.count <= 320, body.authMessage.utf8.count <= 3 * SASLDefaults.maxSCRAMMessageLength else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "username or AuthMessage too long")
            }
            guard let proof = SASLBase64.decode(body.clientProof), proof.count == SCRAMSHA256.keyLength else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "clientProof is not 32 octets of base64")
            }
            let result = try await store.login.scramFinish(body, proof: proof)
            Counter(
                label: "buzon_store_logins_total", dimensions: [("result", result.result.rawValue), ("service", body.service ?? "unknown")]
            ).increment()
            return try RouteSupport.json(result)
        }
        v1.get("recipients/:address") { _, context -> Response in
            let raw = RouteSupport.pathParameter(context, "address")
            // The bare `<Postmaster>` (RFC 5321 §4.1.1.3), any case: the primary domain's.
            if raw.lowercased() == SQLiteStorage.postmasterLocalPart {
                return try RouteSupport.json(try await store.storage.lookupPostmaster())
            }
            return try RouteSupport.json(try await store.storage.lookupRecipient(try RouteSupport.address(raw)))
        }
    }
}
