/// `POST /v1/accounts/{account}/mailboxes/{id}/messages/batch`: what one command needs of
/// many messages, in one answer — each message's summary (flags, MODSEQ, size, internal date)
/// and, when asked, its stored parse and its bytes (whole, or the header section). An IMAP
/// FETCH of a range and POP3's read-ahead make one request instead of one or two a message.
///
/// The answer is `application/x-buzon-messages` (`MessageBatchFrames`), a page of at most
/// `maxBytes` of content (at least one message); `Buzon-Next-After` names the last UID
/// answered when more of the set follow.
public struct MessageBatchRequest: Codable, Sendable, Equatable {
    /// The UIDs to read (an IMAP UID set, `*` included).
    public var uids: String
    /// Which bytes of each message; none when absent.
    public var content: MessageBatchContent?
    /// Whether to send the parse kept since delivery (JSON of `ParsedMessage`).
    public var parse: Bool?
    /// Read only UIDs above this one (the previous page's `Buzon-Next-After`).
    public var after: UInt32?
    /// Content (bytes and parses) of one answer, about; the first message is sent whatever
    /// its size, so a page always moves on.
    public var maxBytes: Int?

    public init(uids: String, content: MessageBatchContent? = nil, parse: Bool? = nil, after: UInt32? = nil, maxBytes: Int? = nil) {
        self.uids = uids
        self.content = content
        self.parse = parse
        self.after = after
        self.maxBytes = maxBytes
    }

    /// What a page holds when the client names no `maxBytes`, and the most it may ask for.
    public static let defaultMaxBytes = 4 * 1024 * 1024
    public static let maxMaxBytes = 64 * 1024 * 1024
    /// Messages in one page at most, however small.
    public static let maxMessages = 1_000
}

/// Which bytes of each message a batch carries.
public enum MessageBatchContent: String, Codable, Sendable {
    case none, header, whole
}

/// One message of a batch answer.
public struct MessageBatchItem: Sendable, Equatable {
    public var summary: MessageSummary
    /// The JSON of the stored parse; empty when not asked.
    public var parse: [UInt8]
    /// The whole message or its header section; empty when not asked.
    public var bytes: [UInt8]

    public init(summary: MessageSummary, parse: [UInt8], bytes: [UInt8]) {
        self.summary = summary
        self.parse = parse
        self.bytes = bytes
    }
}

/// The framing of `application/x-buzon-messages`: per message one text line, then exactly
/// the octets it announces — the parse, then the message's bytes — never encoded (no JSON
/// string, no base64), so bytes go from SQLite to the client's buffer with no transformation.
///
/// ```
/// 7 4096 1795717913.25 42 7 1532 4096 \Seen $Forwarded
/// {"root":…}From: …
/// ```
/// Line fields: UID, size, internal date, MODSEQ, content id (as `MessageListText`), the
/// parse's length, the bytes' length, then the flags (atoms: no spaces), ended by LF.
public enum MessageBatchFrames {
    public static let contentType = "application/x-buzon-messages"
    public static let nextAfterHeader = MessageListText.nextAfterHeader

    /// The line that opens a message's frame.
    public static func line(_ summary: MessageSummary, parseLength: Int, bytesLength: Int) -> [UInt8] {
        var line =
            "\(summary.uid) \(summary.size) \(summary.internalDate) \(summary.modSeq) \(summary.contentID) \(parseLength) \(bytesLength)"
        for flag in summary.flags { line += " " + flag }
        line += "\n"
        return Array(line.utf8)
    }

    /// Every frame of an answer; nil when it is not in the format (a line that does not
    /// parse, or fewer octets than announced).
    public static func decode(_ buffer: UnsafeRawBufferPointer) -> [MessageBatchItem]? {
        var items: [MessageBatchItem] = []
        var index = 0
        let count = buffer.count
        while index < count {
            var end = index
            while end < count, buffer[end] != 0x0A { end += 1 }
            guard end < count else { return nil }
            let fields = UnsafeRawBufferPointer(rebasing: buffer[index..<end]).split(separator: 0x20)
            guard fields.count >= 7,
                let uid = UInt32(String(decoding: fields[0], as: UTF8.self)),
                let size = Int(String(decoding: fields[1], as: UTF8.self)),
                let date = Double(String(decoding: fields[2], as: UTF8.self)),
                let modSeq = UInt64(String(decoding: fields[3], as: UTF8.self)),
                let contentID = Int64(String(decoding: fields[4], as: UTF8.self)),
                let parseLength = Int(String(decoding: fields[5], as: UTF8.self)),
                let bytesLength = Int(String(decoding: fields[6], as: UTF8.self)),
                parseLength >= 0, bytesLength >= 0, parseLength <= count, bytesLength <= count
            else { return nil }
            let parseStart = end + 1
            let bytesStart = parseStart + parseLength
            let next = bytesStart + bytesLength
            guard next <= count else { return nil }
            let summary = MessageSummary(
                uid: uid, size: size, flags: fields.dropFirst(7).map { String(decoding: $0, as: UTF8.self) },
                internalDate: date, modSeq: modSeq, contentID: contentID)
            items.append(
                MessageBatchItem(
                    summary: summary,
                    parse: Array(UnsafeRawBufferPointer(rebasing: buffer[parseStart..<bytesStart])),
                    bytes: Array(UnsafeRawBufferPointer(rebasing: buffer[bytesStart..<next]))))
            index = next
        }
        return items
    }

    /// The same over an array (tests, small answers).
    public static func decode(_ bytes: [UInt8]) -> [MessageBatchItem]? {
        bytes.withUnsafeBytes { decode($0) }
    }
}
