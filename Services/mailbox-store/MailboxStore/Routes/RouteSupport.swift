import Foundation
import Hummingbird
import StoreAPI

/// Small helpers every route file uses to read and check what the client sent.
enum RouteSupport {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: StoreRequestContext) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw StoreError.badRequest(APIErrorCode.invalidJSON, "the body is not the JSON this route takes")
        }
    }

    static func address(_ raw: String) throws -> String {
        guard let address = Validation.address(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidAddress, "not a valid mail address")
        }
        return address
    }

    static func domain(_ raw: String) throws -> String {
        guard let domain = Validation.domain(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidDomain, "not a valid domain name")
        }
        return domain
    }

    static func mailboxName(_ raw: String) throws -> String {
        guard let name = Validation.mailboxName(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidMailboxName, "not a valid mailbox name")
        }
        return name
    }

    static func uidSet(_ raw: String) throws -> UIDSet {
        guard let set = UIDSet(raw) else {
            throw StoreError.badRequest(APIErrorCode.invalidUIDSet, "not a valid UID set")
        }
        return set
    }

    /// A path parameter, percent-decoded (Hummingbird hands them over as sent; clients encode
    /// addresses), or "" when it is missing or not valid percent-encoding.
    static func pathParameter(_ context: StoreRequestContext, _ name: String) -> String {
        context.parameters.get(name)?.removingPercentEncoding ?? ""
    }

    /// The `{account}` path parameter, checked.
    static func account(_ context: StoreRequestContext) throws -> String {
        try address(pathParameter(context, "account"))
    }

    static func int64(_ context: StoreRequestContext, _ name: String) throws -> Int64 {
        guard let value = context.parameters.get(name).flatMap({ Int64($0) }) else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "\(name) must be a number")
        }
        return value
    }

    static func query<T: LosslessStringConvertible>(_ request: Request, _ name: String, default value: T) throws -> T {
        guard let raw = request.uri.queryParameters.get(name) else { return value }
        guard let parsed = T(raw) else {
            throw StoreError.badRequest(APIErrorCode.badRequest, "query parameter \(name) is not valid")
        }
        return parsed
    }

    static func password(_ raw: String) throws -> String {
        // bcrypt reads at most 72 bytes; a longer password would be silently truncated.
        guard !raw.isEmpty, raw.utf8.count <= 72, !raw.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw StoreError.badRequest(APIErrorCode.invalidPassword, "a password is 1 to 72 bytes without control characters")
        }
        return raw
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func noContent() -> Response { Response(status: .noContent) }
}
