import Hummingbird
import StoreAPI

/// Routes registered from StoreAPI's operation declarations (`StoreOperations`): the method
/// and path come from the declaration, the handler is typed by its request and response.
extension RouterMethods where Context == StoreRequestContext {
    /// An operation answered with JSON (or nothing, for `NoContent`) at the declared status.
    @discardableResult
    func on<Path, Body, Reply: Encodable>(
        _ operation: StoreOperation<Path, Body, Reply>,
        _ handle: @escaping @Sendable (Request, StoreRequestContext, RequestBody<Body>) async throws -> Reply
    ) -> Self {
        let status = HTTPResponse.Status.declared(operation.status)
        let empty = operation.responseBody == .none
        return on(RouterPath(operation.template), method: operation.method.http) { request, context -> Response in
            let reply = try await handle(request, context, RequestBody(request: request, context: context))
            return empty ? Response(status: status) : try RouteSupport.json(reply, status: status)
        }
    }

    /// An operation whose handler makes the response itself: bodies that are not JSON
    /// (message bytes, batch frames, the text listing) or answers with headers of their own.
    @discardableResult
    func on<Path, Body, Reply>(
        _ operation: StoreOperation<Path, Body, Reply>,
        raw handle: @escaping @Sendable (Request, StoreRequestContext, RequestBody<Body>) async throws -> Response
    ) -> Self {
        on(RouterPath(operation.template), method: operation.method.http) { request, context -> Response in
            try await handle(request, context, RequestBody(request: request, context: context))
        }
    }
}

/// An operation's request body, read only when the handler asks: a route checks its path
/// parameters first, so a bad path is answered as such whatever the body.
struct RequestBody<Body> {
    let request: Request
    let context: StoreRequestContext
}

extension RequestBody where Body: Decodable {
    /// The body as the operation's JSON type (`RouteSupport.decode`: no null members).
    func callAsFunction() async throws -> Body {
        try await RouteSupport.decode(Body.self, from: request, context: context)
    }
}

extension StoreMethod {
    var http: HTTPRequest.Method {
        switch self {
        case .get: .get
        case .post: .post
        case .put: .put
        case .patch: .patch
        case .delete: .delete
        }
    }
}

extension HTTPResponse.Status {
    /// A declared success status with its reason phrase.
    static func declared(_ code: Int) -> Self {
        switch code {
        case 201: .created
        case 204: .noContent
        case 200: .ok
        default: .init(code: code)
        }
    }
}
