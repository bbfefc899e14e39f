/// One node of a message's MIME tree (RFC 2045 §2.4 entity, RFC 2046 §5).
///
/// A leaf holds content; a multipart holds `parts`; a message/rfc822 (or
/// message/global) part holds the encapsulated `message`, parsed in turn. The
/// fields are what IMAP BODYSTRUCTURE reports (RFC 3501 §7.4.2 body-fields and
/// body-ext-1part). When a multipart cannot be split (no boundary, no delimiter
/// found, or a limit reached) `parts` is empty, and when an encapsulated message
/// cannot be parsed (encoded, or a limit reached) `message` is nil: such parts
/// are opaque leaves.
public struct MessagePart: Sendable, Hashable {
    /// This part's MIME header with its blank line (only the blank line when the
    /// part has no fields; the whole part when the blank line is missing). For a
    /// message's root part, the message header: IMAP `BODY[n.MIME]`.
    public var header: ByteRange
    /// The undecoded content (for a multipart: preamble, parts and epilogue).
    public var body: ByteRange
    public var contentType: ContentType
    public var contentID: String?
    public var contentDescription: String?
    /// Lower-cased, "7bit" when absent (RFC 2045 §6.1).
    public var contentTransferEncoding: String
    public var contentDisposition: ContentDisposition?
    /// RFC 3282 language tags.
    public var contentLanguage: [String]?
    /// RFC 2557 Content-Location.
    public var contentLocation: String?
    /// RFC 1864 Content-MD5.
    public var contentMD5: String?
    /// Lines in `body`, for IMAP body-fld-lines (text/* and message/rfc822).
    public var bodyLineCount: Int
    /// Children of a multipart, in order.
    public var parts: [MessagePart]
    /// Array storage gives the recursion the indirection a struct needs.
    var encapsulated: [ParsedMessage]

    public init(
        header: ByteRange, body: ByteRange, contentType: ContentType = .textPlain,
        contentID: String? = nil, contentDescription: String? = nil,
        contentTransferEncoding: String = "7bit", contentDisposition: ContentDisposition? = nil,
        contentLanguage: [String]? = nil, contentLocation: String? = nil, contentMD5: String? = nil,
        bodyLineCount: Int = 0, parts: [MessagePart] = [], message: ParsedMessage? = nil
    ) {
        self.header = header
        self.body = body
        self.contentType = contentType
        self.contentID = contentID
        self.contentDescription = contentDescription
        self.contentTransferEncoding = contentTransferEncoding
        self.contentDisposition = contentDisposition
        self.contentLanguage = contentLanguage
        self.contentLocation = contentLocation
        self.contentMD5 = contentMD5
        self.bodyLineCount = bodyLineCount
        self.parts = parts
        self.encapsulated = message.map { [$0] } ?? []
    }

    /// The encapsulated message of a message/rfc822 or message/global part.
    public var message: ParsedMessage? {
        get { encapsulated.first }
        set { encapsulated = newValue.map { [$0] } ?? [] }
    }

    /// Whether this part has children (a multipart that could be split).
    public var isMultipart: Bool { !parts.isEmpty }

    /// The filename: Content-Disposition's, else Content-Type's `name` (RFC 2046 §4.5.1 legacy).
    public var filename: String? {
        contentDisposition?.filename ?? contentType.parameter("name")
    }

    /// The body with its Content-Transfer-Encoding removed.
    public func decodedBody(in bytes: [UInt8]) -> [UInt8] {
        TransferEncoding.decode(body.slice(of: bytes), encoding: contentTransferEncoding)
    }

    /// The decoded body as text in its charset (for SEARCH BODY/TEXT); nil when
    /// this is not a text/* part.
    public func decodedText(in bytes: [UInt8]) -> String? {
        guard contentType.type == "text" else { return nil }
        let decoded = decodedBody(in: bytes)
        return contentType.charset.flatMap { Charset.decode(decoded, charset: $0) }
            ?? Charset.decodeGuessing(decoded)
    }

    /// Number of parts in this subtree, itself and encapsulated messages included.
    public var totalPartCount: Int {
        var count = 0
        var stack = [self]
        while let part = stack.popLast() {
            count += 1
            stack += part.parts
            if let message = part.message { stack.append(message.root) }
        }
        return count
    }
}
