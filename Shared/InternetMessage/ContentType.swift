/// A Content-Type value (RFC 2045 §5.1).
///
/// ```
/// Content-Type: multipart/mixed; boundary="----=_Part_0"
/// ```
/// `type` and `subtype` are lower-cased; parameter names are lower-cased and
/// values kept as written (RFC 2231 decoded).
public struct ContentType: Codable, Sendable, Hashable {
    public var type: String
    public var subtype: String
    public var parameters: [Parameter]

    public init(type: String, subtype: String, parameters: [Parameter] = []) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// RFC 2045 §5.2: the default for a part without a (valid) Content-Type.
    public static let textPlain = ContentType(
        type: "text", subtype: "plain", parameters: [Parameter(name: "charset", value: "us-ascii")])

    /// RFC 2046 §5.1.5: the default inside multipart/digest.
    public static let messageRFC822 = ContentType(type: "message", subtype: "rfc822")

    /// Parses a header value; nil when it is not `type "/" subtype` with token
    /// characters (RFC 2045 §5.2 then says to use the default).
    public init?(parsing value: String) {
        let (lead, parameters) = MIMEParameters.split(value)
        let pieces = lead.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2, Self.isToken(pieces[0]), Self.isToken(pieces[1]) else { return nil }
        self.type = ByteScan.asciiLowercased(String(pieces[0]))
        self.subtype = ByteScan.asciiLowercased(String(pieces[1]))
        self.parameters = parameters
    }

    /// "type/subtype".
    public var mimeType: String { "\(type)/\(subtype)" }

    public func parameter(_ name: String) -> String? { parameters.value(of: name) }

    public var charset: String? { parameter("charset") }
    public var boundary: String? { parameter("boundary") }

    public var isMultipart: Bool { type == "multipart" }

    /// message/rfc822 and its RFC 6532 sibling message/global: an encapsulated message.
    public var isEncapsulatedMessage: Bool {
        type == "message" && (subtype == "rfc822" || subtype == "global")
    }

    /// RFC 2045 §5.1 `token`: printable ASCII except SP and tspecials.
    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
            }
    }
}
