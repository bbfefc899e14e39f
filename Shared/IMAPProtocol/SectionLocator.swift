import InternetMessage
import LineFraming

/// What a FETCH BODY[section] returns, as byte ranges of the stored message, so the server
/// reads only those bytes. RFC 9051 §6.4.5.
public enum SectionContent: Sendable, Hashable {
    /// These bytes, verbatim.
    case range(ByteRange)
    /// The fields of the header in this range that are (`exclude` false) or are not
    /// (`exclude` true) among `names`, then the blank line: `SectionLocator.filterHeader`.
    case headerFields(ByteRange, names: [String], exclude: Bool)
    /// The section exists but holds nothing: HEADER or TEXT of a part that is not a message
    /// (Dovecot answers an empty string there too).
    case empty
}

extension SectionContent {
    /// The content out of the whole message's bytes, for callers that hold them.
    public func bytes(in message: [UInt8]) -> [UInt8] {
        switch self {
        case .range(let range): return Array(range.slice(of: message))
        case .headerFields(let range, let names, let exclude):
            return SectionLocator.filterHeader(range.slice(of: message), names: names, exclude: exclude)
        case .empty: return []
        }
    }
}

/// Finds FETCH sections in a parsed message: pure look-ups, no I/O. RFC 9051 §6.4.5,
/// RFC 3501 §6.4.5.
///
/// ```
/// section-spec    = section-msgtext / (section-part ["." section-text])
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
/// section-text    = section-msgtext / "MIME"
/// ```
/// ```
/// C: a1 FETCH 1 (BODY.PEEK[] BODY.PEEK[TEXT] BODY.PEEK[2.MIME] BODY.PEEK[2.HEADER.FIELDS (SUBJECT)])
///    -> whole message, its body, part 2's MIME header, Subject of the message in part 2
/// ```
/// Numbering (RFC 3501 §6.4.5, `ParsedMessage.part(at:)`): parts of a multipart count from
/// 1; a non-multipart message has only part 1, its body; inside a message/rfc822 part the
/// numbers continue into the encapsulated message's body. `n.MIME` is part n's own MIME
/// header; `n.HEADER`, `n.TEXT` and `n.HEADER.FIELDS` name the header and body of the
/// message encapsulated in part n, so they exist only for message/rfc822 parts.
public enum SectionLocator {
    /// Where `section` is in `message`; nil when the part does not exist (the server then
    /// answers an empty string, as Dovecot does, or NIL). The grammar never puts MIME
    /// without a part number; that gives nil too.
    public static func locate(_ section: SectionSpec, in message: ParsedMessage) -> SectionContent? {
        guard !section.part.isEmpty else {
            guard let text = section.text else {
                // BODY[]: the whole message.
                return .range(ByteRange(offset: message.header.offset, length: message.size))
            }
            return messageText(text, of: message)
        }
        guard let part = message.part(at: section.part) else { return nil }
        switch section.text {
        case nil: return .range(part.body)  // BODY[n]: the part's content, undecoded
        case .mime: return .range(part.header)  // BODY[n.MIME]
        case let text?:
            // HEADER/TEXT/HEADER.FIELDS after a part number: only a message/rfc822 part has them.
            guard let inner = part.message else { return .empty }
            return messageText(text, of: inner)
        }
    }

    /// section-msgtext of a (top-level or encapsulated) message.
    private static func messageText(_ text: SectionSpec.Text, of message: ParsedMessage) -> SectionContent? {
        switch text {
        case .header: return .range(message.header)
        case .text: return .range(message.body)
        case .headerFields(let names): return .headerFields(message.header, names: names, exclude: false)
        case .headerFieldsNot(let names): return .headerFields(message.header, names: names, exclude: true)
        case .mime: return nil
        }
    }

    /// The fields of `header` whose names are (or, with `exclude`, are not) in `names`,
    /// compared without case (RFC 5322 §1.2.2), whole with their continuation lines and in
    /// message order, then the blank line CRLF — which RFC 9051 §6.4.5 says the subset always
    /// ends with, even when no field matches. Reading stops at the header's blank line.
    public static func filterHeader(_ header: some Collection<UInt8>, names: [String], exclude: Bool) -> [UInt8] {
        let bytes = Array(header)
        let wanted = Set(names.map { ByteClass.upperString($0.utf8) })
        var out: [UInt8] = []
        var keeping = false
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != ByteClass.lf { end += 1 }
            let next = min(end + 1, bytes.count)
            let line = bytes[start..<next]
            if line.first == ByteClass.lf || (line.first == ByteClass.cr && line.count > 1 && line[start + 1] == ByteClass.lf) {
                break  // the blank line that ends the header
            }
            if line.first == ByteClass.space || line.first == 0x09 {
                // RFC 5322 §2.2.3: a continuation line belongs to the field above it.
            } else if let colon = line.firstIndex(of: 0x3A) {
                var nameEnd = colon  // obs-optional allows WSP before the colon (RFC 5322 §4.5)
                while nameEnd > start, bytes[nameEnd - 1] == ByteClass.space || bytes[nameEnd - 1] == 0x09 { nameEnd -= 1 }
                keeping = wanted.contains(ByteClass.upperString(bytes[start..<nameEnd])) != exclude
            } else {
                keeping = false  // not a field: never copied
            }
            if keeping {
                out += line
                if line.last != ByteClass.lf { out += [ByteClass.cr, ByteClass.lf] }
            }
            start = next
        }
        out += [ByteClass.cr, ByteClass.lf]
        return out
    }

    /// The part of `range` a partial FETCH `<offset.length>` asks for; an offset at or past
    /// the end gives an empty range there (RFC 9051 §6.4.5: "an empty string is returned").
    public static func partial(_ range: ByteRange, _ partial: FetchAttribute.Partial) -> ByteRange {
        let length = max(0, range.length)
        let start = min(Int(partial.offset), length)
        return ByteRange(offset: range.offset + start, length: min(Int(partial.length), length - start))
    }

    /// The same on bytes already in hand (a filtered header, decoded BINARY content).
    public static func partial(_ bytes: [UInt8], _ partial: FetchAttribute.Partial) -> [UInt8] {
        let range = self.partial(ByteRange(offset: 0, length: bytes.count), partial)
        return Array(bytes[range.offset..<range.end])
    }
}
