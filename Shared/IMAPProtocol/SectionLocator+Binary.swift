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
    /// The part BINARY[part] decodes: any part that is not a multipart (a message/rfc822
    /// part gives its encapsulated message, which is never encoded, RFC 2046 §5.2.1). An
    /// empty path names the root of a non-multipart message, so `BINARY[]` is its decoded
    /// body. Nil for a multipart or a part that does not exist.
    ///
    /// Dovecot differs at `BINARY[]`: it answers the whole message with every part decoded.
    public static func binaryPart(_ part: [Int], in message: ParsedMessage) -> MessagePart? {
        guard let found = message.part(at: part), !found.isMultipart, !found.contentType.isMultipart else { return nil }
        return found
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
