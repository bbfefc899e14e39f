import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import StoreAPI

import struct Foundation.Data
import class Foundation.JSONDecoder
import class Foundation.JSONEncoder

/// Calls made from StoreAPI's operation declarations (`StoreOperations`): the method, the
/// path and the body kinds come from the declaration, so no call spells them again.
extension StoreClient {
    /// A JSON operation: `body` sent as JSON (nothing for `NoBody`), the answer decoded as the
    /// operation's response (nothing read for `NoContent`). `path` fills the template's
    /// parameters in order; `query` must name parameters the operation declares.
    public func call<Path, Body: Encodable, Reply: Decodable>(
        _ operation: StoreOperation<Path, Body, Reply>, path: Path, query: [(String, String)] = [], body: Body
    ) async throws -> Reply {
        let encoded = operation.requestBody == .none ? nil : ByteBuffer(bytes: try JSONEncoder().encode(body))
        let (_, data) = try await exchange(operation, path: path, query: query, body: encoded.map { .bytes($0) })
        return try reply(operation, data)
    }

    /// The same for an operation without a request body.
    public func call<Path, Reply: Decodable>(
        _ operation: StoreOperation<Path, NoBody, Reply>, path: Path, query: [(String, String)] = []
    ) async throws -> Reply {
        try await call(operation, path: path, query: query, body: NoBody())
    }

    /// The same for an operation without path parameters.
    public func call<Body: Encodable, Reply: Decodable>(
        _ operation: StoreOperation<Void, Body, Reply>, query: [(String, String)] = [], body: Body
    ) async throws -> Reply {
        try await call(operation, path: (), query: query, body: body)
    }

    /// The same for an operation with neither path parameters nor a request body.
    public func call<Reply: Decodable>(_ operation: StoreOperation<Void, NoBody, Reply>, query: [(String, String)] = []) async throws
        -> Reply
    {
        try await call(operation, path: (), query: query, body: NoBody())
    }

    /// Any operation, its bodies as bytes: for those that are not JSON (message bytes, batch
    /// frames, the text listing). `body` is sent with the content type of the operation's
    /// request kind; the answer's headers and body come back as they arrived (no copy).
    public func exchange<Path, Body, Reply>(
        _ operation: StoreOperation<Path, Body, Reply>, path: Path, query: [(String, String)] = [],
        body: HTTPClientRequest.Body? = nil, headers: [(String, String)] = []
    ) async throws -> (headers: HTTPHeaders, body: ByteBuffer) {
        assert(query.allSatisfy { operation.query.contains($0.0) }, "\(operation.template) declares no such query parameter")
        let target = operation.path(path, encodingSegment: Self.segment) + Self.query(query)
        let (_, headers, data) = try await exchangeBuffer(
            HTTPMethod(rawValue: operation.method.rawValue), target, requestBody: body,
            contentType: operation.requestBody.rawValue, headers: headers)
        return (headers, data)
    }

    /// The answer of a JSON operation decoded; `NoContent` is not read.
    func reply<Path, Body, Reply: Decodable>(_ operation: StoreOperation<Path, Body, Reply>, _ data: ByteBuffer) throws -> Reply {
        if operation.responseBody == .none, let none = NoContent() as? Reply { return none }
        do {
            return try JSONDecoder().decode(Reply.self, from: Data(data.readableBytesView))
        } catch {
            throw StoreClientError.invalidResponse("\(Reply.self): \(error)")
        }
    }
}
