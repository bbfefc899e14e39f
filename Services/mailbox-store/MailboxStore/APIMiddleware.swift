import Hummingbird
import StoreAPI

/// Requires `Authorization: Bearer <token>` on every path but the few open ones
/// (ARCHITECTURE.md: without it, 401). The open list is exact: the router ignores repeated
/// slashes, so a test on a `/v1/` prefix would let `//v1/users` through.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let expected: [UInt8]
    static var openPaths: Set<String> { ["/healthz", "/readyz", "/metrics", "/openapi.yaml"] }

    init(token: String) { expected = Array("Bearer \(token)".utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        let given = Array((request.headers[.authorization] ?? "").utf8)
        guard ConstantTime.equal(given, expected) else {
            throw StoreError(.unauthorized, APIErrorCode.unauthorized, "missing or wrong bearer token")
        }
        return try await next(request, context)
    }
}

/// Turns every error into the API's JSON error body: our own `StoreError`s as they are,
/// Hummingbird's (unknown route 404, body too large 413, bad JSON 400) with a code, and
/// anything else into a 500 whose cause goes only to the log.
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreError {
            if error.status.code >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            return StoreError.jsonResponse(status: error.status, body: APIErrorBody(code: error.code, message: error.message))
        } catch let error as any HTTPResponseError {
            let code: APIErrorCode
            switch error.status.code {
            case 404: code = APIErrorCode.notFound
            case 405: code = APIErrorCode.methodNotAllowed
            case 413: code = APIErrorCode.tooLarge
            case 400: code = APIErrorCode.badRequest
            default: code = error.status.code >= 500 ? APIErrorCode.internalError : APIErrorCode.badRequest
            }
            let message = error.status.code == 404 ? "no such route" : error.status.reasonPhrase
            return StoreError.jsonResponse(status: error.status, body: APIErrorBody(code: code, message: message))
        } catch is DecodingError {
            return StoreError.jsonResponse(
                status: .badRequest,
                body: APIErrorBody(code: APIErrorCode.invalidJSON, message: "the body is not the JSON this route takes"))
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return StoreError.jsonResponse(
                status: .internalServerError, body: APIErrorBody(code: APIErrorCode.internalError, message: "internal error"))
        }
    }
}
