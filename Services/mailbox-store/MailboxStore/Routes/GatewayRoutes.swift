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
        router.on(StoreOperations.verifyLogin) { _, _, body in
            let body = try await body()
            // Characters, as JSON Schema's maxLength counts them (openapi.yaml).
            guard body.username.unicodeScalars.count <= 320, body.password.unicodeScalars.count <= 1024 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "username or password too long")
            }
            let result = try await store.login.verify(body)
            Counter(
                label: "buzon_store_logins_total", dimensions: [("result", result.result.rawValue), ("service", body.service ?? "unknown")]
            ).increment()
            return result
        }
        // SCRAM-SHA-256 (RFC 5802, RFC 7677): the gateway runs the exchange, the store holds the keys.
        router.on(StoreOperations.scramStart) { _, _, body in
            let body = try await body()
            guard body.username.unicodeScalars.count <= 320 else {
                throw StoreError.badRequest(APIErrorCode.badRequest, "username too long")
            }
            return try await store.login.scramStart(body)
        }
        router.on(StoreOperations.scramFinish) { _, _, body in
            let body = try await body()
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
            return result
        }
        router.on(StoreOperations.lookupRecipient) { _, context, _ in
            let raw = RouteSupport.pathParameter(context, "address")
            // The bare `<Postmaster>` (RFC 5321 §4.1.1.3), any case: the primary domain's.
            if raw.lowercased() == SQLiteStorage.postmasterLocalPart {
                return try await store.storage.lookupPostmaster()
            }
            return try await store.storage.lookupRecipient(try RouteSupport.address(raw))
        }
    }
}
