import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import StoreAPI

/// The internal API's client, used by mailctl and every gateway.
///
/// One instance per process is enough: AsyncHTTPClient keeps connections alive and pools them.
/// Every call carries the bearer token; errors come back as `StoreClientError`.
public struct StoreClient: Sendable {
    public let baseURL: String
    private let token: String
    private let http: HTTPClient
    private let timeout: TimeAmount

    /// Bodies the client accepts from the store: a message up to the store's limit.
    public static let maxResponseSize = 64 * 1024 * 1024

    public init(baseURL: String, token: String, httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(60)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = httpClient
        self.timeout = timeout
    }

    /// An HTTP client for talking to the store: connections that fail are not retried
    /// (a store that is down must be reported at once: SMTP `451`, mailctl exit 3), and a
    /// connection attempt gives up after `connectTimeout`. Shut it down when done.
    public static func makeHTTPClient(connectTimeout: TimeAmount = .seconds(5), connectionsPerHost: Int = 8) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = connectTimeout
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsPerHost
        configuration.connectionPool.retryConnectionEstablishment = false
        // No spans: with the default (no-op) tracer AsyncHTTPClient still parsed every URL
        // again for a span's attributes, 2 % of the IMAP gateway's CPU.
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    // MARK: Transport

    /// Percent-encodes one path segment (addresses contain `@`, `+`, and maybe `/`).
    public static func segment(_ s: String) -> String {
        percentEncoded(s, allowing: segmentExtras, slow: segmentAllowed)
    }

    static func query(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\($0.0)=\(percentEncoded($0.1, allowing: queryExtras, slow: queryAllowed))" }.joined(separator: "&")
    }

    private static let segmentExtras = Array("-._~@+".utf8), queryExtras = Array("-._~@".utf8)
    private static let segmentAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@+"))
    private static let queryAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))

    /// ASCII is encoded here, byte by byte (every call builds a path: Foundation's
    /// `CharacterSet` walk was 8 % of the IMAP gateway's CPU); anything else goes to
    /// Foundation, which leaves non-ASCII letters as they are.
    private static func percentEncoded(_ s: String, allowing extras: [UInt8], slow: CharacterSet) -> String {
        func allowed(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || extras.contains(byte)
        }
        var clean = true
        for byte in s.utf8 {
            guard byte < 0x80 else { return s.addingPercentEncoding(withAllowedCharacters: slow) ?? s }
            if !allowed(byte) { clean = false }
        }
        if clean { return s }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        for byte in s.utf8 {
            if allowed(byte) {
                out.append(byte)
            } else {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json",
        headers extra: [(String, String)] = []
    ) async throws -> (status: Int, body: [UInt8]) {
        try await send(method, path, requestBody: body.map { .bytes(ByteBuffer(bytes: $0)) }, contentType: contentType, headers: extra)
    }

    /// The same with any AsyncHTTPClient body, e.g. a stream of a spooled message.
    public func send(
        _ method: HTTPMethod, _ path: String, requestBody: HTTPClientRequest.Body?, contentType: String = "application/json",
        headers extra: [(String, String)] = []
    ) async throws -> (status: Int, body: [UInt8]) {
        let (status, _, body) = try await exchange(method, path, requestBody: requestBody, contentType: contentType, headers: extra)
        return (status, body)
    }

    /// A GET that also answers the response headers.
    public func sendWithHeaders(_ method: HTTPMethod, _ path: String) async throws -> (headers: HTTPHeaders, body: [UInt8]) {
        let (_, headers, body) = try await exchange(method, path, requestBody: nil, contentType: "application/json", headers: [])
        return (headers, body)
    }

    private func exchange(
        _ method: HTTPMethod, _ path: String, requestBody: HTTPClientRequest.Body?, contentType: String,
        headers extra: [(String, String)]
    ) async throws -> (status: Int, headers: HTTPHeaders, body: [UInt8]) {
        let (status, headers, buffer) = try await exchangeBuffer(
            method, path, requestBody: requestBody, contentType: contentType, headers: extra)
        return (status, headers, Array(buffer.readableBytesView))
    }

    /// The same, the body left in the buffer it arrived in (no copy): for answers that carry
    /// message bytes.
    func exchangeBuffer(
        _ method: HTTPMethod, _ path: String, requestBody: HTTPClientRequest.Body?, contentType: String = "application/json",
        headers extra: [(String, String)] = []
    ) async throws -> (status: Int, headers: HTTPHeaders, body: ByteBuffer) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let requestBody {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = requestBody
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout)
            bytes = try await response.body.collect(upTo: Self.maxResponseSize)
        } catch {
            throw StoreClientError.unavailable(String(describing: error))
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            if let error = try? JSONDecoder().decode(APIErrorBody.self, from: Data(bytes.readableBytesView)) {
                throw StoreClientError.api(status: status, code: error.error.code, message: error.error.message)
            }
            throw StoreClientError.api(
                status: status, code: status >= 500 ? APIErrorCode.internalError : APIErrorCode.badRequest,
                message: "HTTP \(status)")
        }
        return (status, response.headers, bytes)
    }
}
