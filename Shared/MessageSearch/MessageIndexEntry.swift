import InternetMessage

/// What a store keeps about one message's content so that searches, sorts and threads are
/// answered without reading it (issue 12, "the store's read model"). Made once, at delivery.
///
/// The searchable texts are *folded* as `SearchEvaluator` folds them (`SearchText.fold`:
/// Unicode lower-case, final sigma as sigma), pieces joined by line feeds: a needle without a
/// line feed is a substring of the joined text exactly when the evaluator finds it in one
/// piece. So a substring index over them (SQLite FTS5 `trigram`, PostgreSQL `pg_trgm`) answers
/// as the evaluator does, byte for byte — except where `needsCharacterComparison` says some
/// piece has combining marks (NFC/NFD equivalence needs the evaluator), or the needle has a
/// line feed or combining marks (`SearchEvaluator.indexable`).
public struct MessageIndexEntry: Sendable, Hashable {
    /// HEADER From/To/Cc/Bcc/Reply-To/Sender text: each field's decoded value and its addresses
    /// as ENVELOPE reads them (`AddressText`); nil when the message has no such field.
    public var from, to, cc, bcc, replyTo, sender: String?
    /// Every Subject field's decoded value, folded; nil when there is none.
    public var subject: String?
    /// Every header field as `name: decoded value` (TEXT).
    public var headers: String
    /// BODY: the decoded text parts (HTML also reduced), encapsulated messages' fields and text.
    public var body: String
    /// The MIME headers of the parts below the root (TEXT only).
    public var mimeHeaders: String
    /// Some piece has combining marks: substring by bytes may differ from the evaluator's.
    public var needsCharacterComparison: Bool

    /// The first Subject, decoded and unfolded, as written (not folded): for RFC 5256 base subjects.
    public var subjectText: String?
    /// The Date: field as an instant (seconds since 1970) and as the day written (RFC 9051
    /// §6.4.4 SENTON); nil when missing or unreadable.
    public var sentAt: Int?
    public var sentDay: Int?
    public var messageID: String?
    public var inReplyTo: String?
    public var references: String?
    public var listID: String?
    /// Some part below the root is an attachment: disposition `attachment`, or a file name on a
    /// part that is not text.
    public var hasAttachment: Bool
    /// The first From, To, Cc and Date fields' raw values (unfolded, not decoded), for the
    /// RFC 5256 / RFC 5957 sort keys the store derives from them; nil when absent.
    public var firstFrom: String?
    public var firstTo: String?
    public var firstCc: String?
    public var firstDate: String?
    /// The first Subject's raw value (RFC 5256 §2.1 base subjects start from it).
    public var firstSubject: String?

    /// The entry of a message: `raw` the whole message, `parse` its stored parse.
    public init(raw: [UInt8], parse: ParsedMessage) {
        let content = SearchContent(raw: raw, parse: parse)
        var characters = false
        func joined(_ pieces: [FoldedText], from start: (FoldedText) -> Int = { _ in 0 }) -> String {
            var out: [UInt8] = []
            for (index, piece) in pieces.enumerated() {
                if index > 0 { out.append(0x0A) }
                out += piece.bytes[min(start(piece), piece.bytes.count)...]
                characters = characters || piece.needsCharacterComparison
            }
            return String(decoding: out, as: UTF8.self)
        }
        let fields = parse.fields
        func fieldText(_ name: String) -> String? {
            let named = fields.filter { $0.hasName(name) }
            guard !named.isEmpty else { return nil }
            let isAddress = AddressText.isAddressField(SearchText.asciiLowercased(name))
            var pieces: [FoldedText] = []
            for field in named {
                pieces.append(FoldedText(field))
                if isAddress, let parsed = AddressText.parsedForm(field.rawValue) { pieces.append(FoldedText(parsed)) }
            }
            // Header lines are `name: value`; the value alone is searched.
            return joined(pieces) { $0.valueStart }
        }
        from = fieldText("From")
        to = fieldText("To")
        cc = fieldText("Cc")
        bcc = fieldText("Bcc")
        replyTo = fieldText("Reply-To")
        sender = fieldText("Sender")
        subject = fieldText("Subject")
        headers = joined(fields.map(FoldedText.init))
        let walked = SearchContentCache.walk(content)
        body = joined(walked.texts)
        mimeHeaders = joined(walked.mimeHeaders)
        needsCharacterComparison = characters

        subjectText = fields.first(named: "Subject")?.decodedValue
        let date = parse.envelope.date.flatMap(MessageDate.fields)
        sentAt = date?.secondsSince1970
        sentDay = date?.daysSince1970
        messageID = parse.envelope.messageID
        inReplyTo = parse.envelope.inReplyTo
        references = fields.first(named: "References")?.rawValue
        listID = fields.first(named: "List-Id")?.decodedValue
        hasAttachment = Self.hasAttachment(parse.root)
        firstFrom = fields.first(named: "From")?.rawValue
        firstTo = fields.first(named: "To")?.rawValue
        firstCc = fields.first(named: "Cc")?.rawValue
        firstDate = fields.first(named: "Date")?.rawValue
        firstSubject = fields.first(named: "Subject")?.rawValue
    }

    static func hasAttachment(_ root: MessagePart) -> Bool {
        var stack = root.parts
        while let part = stack.popLast() {
            if part.contentDisposition?.type == "attachment" { return true }
            if !part.isMultipart, part.contentType.type != "text", part.filename != nil { return true }
            stack += part.parts
        }
        return false
    }
}
