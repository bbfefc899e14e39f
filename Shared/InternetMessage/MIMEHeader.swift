/// Reads the Content-* fields of a MIME entity header (RFC 2045 §3, RFC 2183,
/// RFC 3282, RFC 2557, RFC 1864). The first occurrence of each field counts.
enum MIMEHeader {
    static func part(fields: [HeaderField], header: ByteRange, body: ByteRange, defaultType: ContentType) -> MessagePart {
        func value(_ name: String) -> String? { fields.first(named: name)?.rawValue }

        // RFC 2045 §5.2: a missing or invalid Content-Type means the default.
        let contentType = value("Content-Type").flatMap(ContentType.init(parsing:)) ?? defaultType
        var encoding = "7bit"
        if let raw = value("Content-Transfer-Encoding") {
            let (lead, _) = MIMEParameters.split(raw)
            if !lead.isEmpty { encoding = ByteScan.asciiLowercased(lead) }
        }
        let language = value("Content-Language").map { raw in
            MIMEParameters.split(raw).lead.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        }
        return MessagePart(
            header: header, body: body, contentType: contentType,
            contentID: value("Content-ID"),
            contentDescription: value("Content-Description"),
            contentTransferEncoding: encoding,
            contentDisposition: value("Content-Disposition").flatMap(ContentDisposition.init(parsing:)),
            contentLanguage: language,
            contentLocation: value("Content-Location").map { String($0.filter { !$0.isWhitespace }) },
            contentMD5: value("Content-MD5"))
    }
}
