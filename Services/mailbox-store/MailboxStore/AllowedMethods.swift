import Foundation
import Hummingbird
import StoreAPI

/// Which methods each path of the API takes, read from the OpenAPI document the store ships
/// (`openapi.yaml`, which Tests/EndToEnd/test_openapi.py keeps equal to the registered routes).
///
/// Hummingbird answers a known path with an unregistered method as an unknown route (404);
/// RFC 9110 §15.5.6 wants `405 Method Not Allowed` with an `Allow` header listing the methods
/// the path does take.
struct AllowedMethods: Sendable {
    /// Path templates split into segments (`{…}` matches any one segment) and their methods.
    let routes: [(segments: [Substring], methods: [String])]

    /// The `paths:` section of an OpenAPI document as this project writes it: each path on a
    /// line `  /path:` and each of its operations on a line `    method:`.
    init(openAPI text: String) {
        var routes: [(segments: [Substring], methods: [String])] = []
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                let path = line.dropFirst(2).dropLast()
                routes.append((segments: path.split(separator: "/"), methods: []))
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), !routes.isEmpty {
                let word = line.dropFirst(4).dropLast()
                if Self.methods.contains(String(word)) { routes[routes.count - 1].methods.append(word.uppercased()) }
            }
        }
        self.routes = routes
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The shipped document's, or none when it is not installed (then 404 stays 404).
    static let shipped: AllowedMethods = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return AllowedMethods(openAPI: "") }
        return AllowedMethods(openAPI: text)
    }()

    /// The methods of the documented path that `path` matches; empty for an unknown path.
    /// Where several match (`/v1/queue/lease` and `/v1/queue/{id}`), the router takes the one
    /// with a literal segment at the first place they differ, and so does this.
    func methods(for path: String) -> [String] {
        let given = path.split(separator: "/")
        var best: (segments: [Substring], methods: [String])?
        for route in routes where route.segments.count == given.count {
            let matches = zip(route.segments, given).allSatisfy { template, segment in
                template.hasPrefix("{") || template == segment
            }
            guard matches else { continue }
            if let current = best, !Self.moreSpecific(route.segments, than: current.segments) { continue }
            best = route
        }
        return best?.methods ?? []
    }

    static func moreSpecific(_ a: [Substring], than b: [Substring]) -> Bool {
        for (x, y) in zip(a, b) where x.hasPrefix("{") != y.hasPrefix("{") {
            return !x.hasPrefix("{")
        }
        return false
    }
}

/// Turns the router's 404 for a known path into `405` with `Allow` (RFC 9110 §15.5.6, §10.2.1)
/// and the JSON error body `method-not-allowed`.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let table: AllowedMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = table.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            var response = StoreError.jsonResponse(
                status: .methodNotAllowed,
                body: APIErrorBody(code: APIErrorCode.methodNotAllowed, message: "this path does not take \(request.method.rawValue)"))
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }
}
