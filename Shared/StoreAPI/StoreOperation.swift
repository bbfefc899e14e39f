/// One operation of the internal API, declared once (in `StoreOperations`) and used by both
/// sides: the store registers its route from it (`RouterMethods.on(_:)` in MailboxStore) and
/// `StoreClient` calls it (`call(_:path:query:body:)`). It carries the method, the path
/// template as openapi.yaml spells it, the query parameters and headers it reads, what the
/// request and response bodies are, and the status of a success.
///
/// `Path` is the type of the path parameters in template order: `Void` for none, the value
/// itself for one (`String` for `{account}`), a tuple for several
/// (`(account: String, id: Int64)`). `Request` and `Response` are the body types: a Codable
/// API type for JSON, or one of the markers below for bodies that are not JSON.
///
/// ```swift
/// public static let createMailbox = StoreOperation<String, CreateMailboxRequest, MailboxInfo>(
///     .post, "/v1/accounts/{account}/mailboxes", status: 201)
/// ```
public struct StoreOperation<Path, Request, Response>: Sendable {
    public let method: StoreMethod
    /// The path template, `{name}` for each parameter: `/v1/accounts/{account}/mailboxes/{id}`.
    public let template: String
    /// The query parameters the operation reads (for documentation and the client's check).
    public let query: [String]
    /// Request headers the operation reads besides the bearer token.
    public let headers: [String]
    public let requestBody: BodyKind
    public let responseBody: BodyKind
    /// The status of a success: 200, 201 for something created, 204 for no body.
    public let status: Int
    /// The store may hold the request until something happens (a long poll); its answer says
    /// `Connection: close`.
    public let longPoll: Bool

    /// The body kinds default from the types: `NoBody`/`NoContent` are none, `RawMessage` is
    /// message bytes, anything else JSON;
    /// the status defaults to 204 for `NoContent`, else 200.
    public init(
        _ method: StoreMethod, _ template: String, query: [String] = [], headers: [String] = [],
        request: BodyKind? = nil, response: BodyKind? = nil, status: Int? = nil, longPoll: Bool = false
    ) {
        self.method = method
        self.template = template
        self.query = query
        self.headers = headers
        self.requestBody = request ?? Self.kind(of: Request.self)
        self.responseBody = response ?? Self.kind(of: Response.self)
        self.status = status ?? (Response.self == NoContent.self ? 204 : 200)
        self.longPoll = longPoll
    }

    static func kind(of type: Any.Type) -> BodyKind {
        if type == NoBody.self || type == NoContent.self { return .none }
        if type == RawMessage.self { return .message }
        return .json
    }

    /// The names of the path parameters, in order: `["account", "id"]`.
    public var pathParameters: [String] { StoreMethod.parameters(of: template) }

    /// The same operation seen with another response body (e.g. `GET …/messages?format=text`):
    /// method, path and query stay those of this declaration.
    public func answering<Other>(_ kind: BodyKind, as type: Other.Type) -> StoreOperation<Path, Request, Other> {
        StoreOperation<Path, Request, Other>(
            method, template, query: query, headers: headers, request: requestBody, response: kind, status: status,
            longPoll: longPoll)
    }

    /// The path with `values` put in for the parameters, each segment encoded by `encode`
    /// (the client's percent-encoding). A tuple is read element by element; one value is one
    /// parameter.
    public func path(_ values: Path, encodingSegment encode: (String) -> String) -> String {
        // Every store call builds its path here: one value (most operations take only the
        // account) is read without reflection, and the template is walked once.
        let given: [String]
        if let one = values as? String {
            given = [one]
        } else {
            let mirror = Mirror(reflecting: values)
            given = mirror.displayStyle == .tuple ? mirror.children.map { String(describing: $0.value) } : [String(describing: values)]
        }
        var path = ""
        path.reserveCapacity(template.utf8.count + 32)
        var next = given.makeIterator()
        var used = 0
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            path += rest[..<open]
            path += encode(next.next() ?? "")
            used += 1
            rest = rest[rest.index(after: close)...]
        }
        path += rest
        precondition(used == given.count, "\(template) takes \(used) path parameters")
        return path
    }
}

/// What an operation's method and path are, without its types: for listing them all
/// (`StoreOperations.all`) and checking them against openapi.yaml.
public protocol StoreOperationDescription: Sendable {
    var method: StoreMethod { get }
    var template: String { get }
    var query: [String] { get }
    var requestBody: BodyKind { get }
    var responseBody: BodyKind { get }
    var status: Int { get }
}

extension StoreOperation: StoreOperationDescription {}

/// The HTTP methods the API uses; the raw value is the method's token (RFC 9110 §9.1).
public enum StoreMethod: String, Sendable, CaseIterable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"

    /// The `{name}` segments of a path template.
    static func parameters(of template: String) -> [String] {
        template.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { String($0.dropFirst().dropLast()) }
    }
}

/// What a request or response body is.
public enum BodyKind: String, Sendable {
    /// No body.
    case none
    /// The JSON of the operation's Codable type.
    case json = "application/json"
    /// A message's raw bytes (RFC 5322), as received or stored.
    case message = "message/rfc822"
    /// `MessageBatchFrames`: summaries, parses and bytes of many messages, framed binary.
    case messageBatch = "application/x-buzon-messages"
    /// `AppendBatch`: messages one after another, their sizes in the query.
    case appendBatch = "application/x-buzon-append"
    /// `MessageListText`: the message listing as compact text.
    case messageListText = "text/plain; charset=utf-8"
}

/// The request of an operation that takes no body.
public struct NoBody: Codable, Sendable {
    public init() {}
}

/// The response of an operation that answers `204 No Content`.
public struct NoContent: Codable, Sendable {
    public init() {}
}

/// A body that is a message's bytes (`BodyKind.message`): the client sends or receives
/// `[UInt8]` or a stream, the store reads or writes them without JSON.
public enum RawMessage {}

/// A response that is JSON the store keeps as text (a stored MIME parse), handed over as is.
public enum StoredJSON {}
