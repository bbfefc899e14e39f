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
            contentLocation: value("Content-Location").map(location),
            contentMD5: value("Content-MD5"))
    }

    /// RFC 2557 §4.1 `Content-Location: [CFWS] URI [CFWS]`: the URI without the comments and
    /// whitespace around it, and without the folding whitespace inside it (§4.4: a long URI
    /// may be folded; its whitespace is not part of it). IMAP body-fld-loc (RFC 3501 §7.4.2)
    /// carries the URI alone. A `(` counts as a comment only where a comment can begin —
    /// at the start, after whitespace or after another comment — so a URI's own parentheses
    /// (`http://x.test/a(b)`) stay.
    static func location(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        var out: [UInt8] = []
        var index = 0
        var atBoundary = true
        while index < bytes.count {
            let byte = bytes[index]
            if ByteScan.isWhitespace(byte) {
                atBoundary = true
                index += 1
            } else if byte == 0x28, atBoundary {
                index = MIMEParameters.skipComment(bytes, from: index)
            } else {
                atBoundary = false
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
