/// Compact JSON for the stored parse: defaults and empty values are left out.
extension MessagePart: Codable {
    private enum CodingKeys: String, CodingKey {
        case header, body, type, id, description, encoding, disposition, language, location, md5,
            lines, parts, message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        header = try c.decode(ByteRange.self, forKey: .header)
        body = try c.decode(ByteRange.self, forKey: .body)
        contentType = try c.decodeIfPresent(ContentType.self, forKey: .type) ?? .textPlain
        contentID = try c.decodeIfPresent(String.self, forKey: .id)
        contentDescription = try c.decodeIfPresent(String.self, forKey: .description)
        contentTransferEncoding = try c.decodeIfPresent(String.self, forKey: .encoding) ?? "7bit"
        contentDisposition = try c.decodeIfPresent(ContentDisposition.self, forKey: .disposition)
        contentLanguage = try c.decodeIfPresent([String].self, forKey: .language)
        contentLocation = try c.decodeIfPresent(String.self, forKey: .location)
        contentMD5 = try c.decodeIfPresent(String.self, forKey: .md5)
        bodyLineCount = try c.decodeIfPresent(Int.self, forKey: .lines) ?? 0
        parts = try c.decodeIfPresent([MessagePart].self, forKey: .parts) ?? []
        encapsulated = try c.decodeIfPresent(ParsedMessage.self, forKey: .message).map { [$0] } ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(header, forKey: .header)
        try c.encode(body, forKey: .body)
        if contentType != .textPlain { try c.encode(contentType, forKey: .type) }
        try c.encodeIfPresent(contentID, forKey: .id)
        try c.encodeIfPresent(contentDescription, forKey: .description)
        if contentTransferEncoding != "7bit" { try c.encode(contentTransferEncoding, forKey: .encoding) }
        try c.encodeIfPresent(contentDisposition, forKey: .disposition)
        try c.encodeIfPresent(contentLanguage, forKey: .language)
        try c.encodeIfPresent(contentLocation, forKey: .location)
        try c.encodeIfPresent(contentMD5, forKey: .md5)
        if bodyLineCount != 0 { try c.encode(bodyLineCount, forKey: .lines) }
        if !parts.isEmpty { try c.encode(parts, forKey: .parts) }
        try c.encodeIfPresent(message, forKey: .message)
    }
}
