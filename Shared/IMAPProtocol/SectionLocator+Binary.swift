import InternetMessage
import LineFraming

/// BINARY and BINARY.SIZE: a part's content with its Content-Transfer-Encoding removed.
/// RFC 3516 §4.2, RFC 9051 §6.4.5.
///
/// ```
/// fetch-att      =/ "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary
/// section-binary = "[" [section-part] "]"
/// ```
/// ```
/// C: a1 FETCH 1 (BINARY.PEEK[3] BINARY.SIZE[3])
/// S: * 1 FETCH (BINARY[3] ~{5}
/// S: <5 octets with NUL> BINARY.SIZE[3] 5)
/// C: a2 FETCH 1 BINARY[4]
/// S: a2 NO [UNKNOWN-CTE] Can't decode part 4    (Content-Transfer-Encoding: x-uuencode)
/// ```
extension SectionLocator {
    /// The leaf part BINARY[part] decodes: any part that is not a multipart (a message/rfc822
    /// part gives its encapsulated message, which is never encoded, RFC 2046 §5.2.1). Nil for
    /// a multipart or a part that does not exist. `binaryContent` answers the other sections.
    public static func binaryPart(_ part: [Int], in message: ParsedMessage) -> MessagePart? {
        guard let found = message.part(at: part), !found.isMultipart, !found.contentType.isMultipart else { return nil }
        return found
    }

    /// What BINARY[part] and BINARY.SIZE[part] answer; nil when the part does not exist.
    ///
    /// - `BINARY[]` is the entire message with its header (RFC 3516 §4.1, RFC 9051 §6.4.5:
    ///   an empty section is the whole message): the header as it is and the body with the
    ///   message's own Content-Transfer-Encoding removed. A multipart message has none to
    ///   remove (RFC 2045 §6.4: only 7bit, 8bit or binary), so it comes back as stored.
    /// - `BINARY[n]` of a multipart part: its content as it is, for the same reason.
    /// - Any other part: its content decoded; an unknown encoding throws (`NO [UNKNOWN-CTE]`).
    ///
    /// Dovecot differs at `BINARY[]` of a multipart: it decodes every leaf inside as well.
    public static func binaryContent(
        _ part: [Int], in message: ParsedMessage, bytes: [UInt8]
    ) throws(UnknownTransferEncoding) -> [UInt8]? {
        guard let found = message.part(at: part) else { return nil }
        let multipart = found.isMultipart || found.contentType.isMultipart
        if part.isEmpty {
            if multipart { return bytes }
            return Array(message.header.slice(of: bytes)) + (try decodedContent(of: found, in: bytes))
        }
        if multipart { return Array(found.body.slice(of: bytes)) }
        return try decodedContent(of: found, in: bytes)
    }

    /// Encodings whose removal this server knows. RFC 2045 §6.1
    public static let knownTransferEncodings: Set<String> = ["7bit", "8bit", "binary", "base64", "quoted-printable"]

    /// `body` (a part's content) with `encoding` removed; throws for an encoding outside
    /// `knownTransferEncodings`, which the server answers with `NO [UNKNOWN-CTE]`
    /// (RFC 3516 §4.3, RFC 9051 §7.1). 7bit, 8bit and binary come back unchanged.
    public static func decode(_ body: some Collection<UInt8>, encoding: String) throws(UnknownTransferEncoding) -> [UInt8] {
        // A case-insensitive token (RFC 2045 §6.1); whitespace around it is not part of it.
        let token = encoding.utf8.filter { $0 > 0x20 }
        let name = String(decoding: token.map { ByteClass.isAlpha($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        guard knownTransferEncodings.contains(name) else { throw UnknownTransferEncoding(encoding: encoding) }
        return TransferEncoding.decode(ArraySlice(body), encoding: name)
    }

    /// The decoded content of `part` out of the whole message's bytes.
    public static func decodedContent(of part: MessagePart, in message: [UInt8]) throws(UnknownTransferEncoding) -> [UInt8] {
        try decode(part.body.slice(of: message), encoding: part.contentTransferEncoding)
    }
}

/// A Content-Transfer-Encoding the server cannot remove: answer `NO [UNKNOWN-CTE]`.
public struct UnknownTransferEncoding: Error, Sendable, Hashable {
    public var encoding: String
    public init(encoding: String) { self.encoding = encoding }
}
