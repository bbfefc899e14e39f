import Hummingbird
import StoreAPI

import struct Foundation.Data
import class Foundation.JSONEncoder

/// An error the store answers with: an HTTP status, a stable `code` from `APIErrorCode`,
/// and a message for people. Only the client's own mistakes are described; faults answer
/// a generic 500 and the cause goes to the log.
public struct StoreError: Error, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: APIErrorCode
    public var message: String

    public init(_ status: HTTPResponse.Status, _ code: APIErrorCode, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.jsonResponse(status: status, body: APIErrorBody(code: code, message: message))
    }

    static func jsonResponse(status: HTTPResponse.Status, body: APIErrorBody) -> Response {
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func notFound(_ code: APIErrorCode, _ what: String) -> StoreError {
        StoreError(.notFound, code, what)
    }
    static func badRequest(_ code: APIErrorCode, _ message: String) -> StoreError {
        StoreError(.badRequest, code, message)
    }
    static func conflict(_ code: APIErrorCode, _ message: String) -> StoreError {
        StoreError(.conflict, code, message)
    }
}
