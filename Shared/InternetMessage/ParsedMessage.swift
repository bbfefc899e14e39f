import Foundation

/// The stored parse of one message (RFC 5322 §2.1 header section and body),
/// with its MIME tree and IMAP ENVELOPE.
///
/// All ranges index the bytes given to `MessageParser.parse(_:)`, so
/// `BODY[HEADER]` is `header`, `BODY[TEXT]` is `body`, and parts are found with
/// `part(at:)` (RFC 3501 §6.4.5).
public struct ParsedMessage: Codable, Sendable, Hashable {
    /// The header section including the blank line that ends it (if present).
    public var header: ByteRange
    /// Everything after the header section.
    public var body: ByteRange
    /// Header fields in order (at most `MessageLimits.maxHeaderFields`).
    public var fields: [HeaderField]
    public var envelope: Envelope
    /// The MIME tree; for a non-MIME message a single text/plain part whose
    /// header and body equal the message's.
    public var root: MessagePart
    /// Bytes in the message (for an encapsulated message, its part body length).
    public var size: Int

    public init(
        header: ByteRange, body: ByteRange, fields: [HeaderField], envelope: Envelope,
        root: MessagePart, size: Int
    ) {
        self.header = header
        self.body = body
        self.fields = fields
        self.envelope = envelope
        self.root = root
        self.size = size
    }

    /// The fields called `name`, ignoring case (RFC 5322 §1.2.2).
    public func fields(named name: String) -> [HeaderField] { fields.named(name) }

    /// The first field called `name`, ignoring case.
    public func field(named name: String) -> HeaderField? { fields.first(named: name) }

    /// The Subject with RFC 2047 encoded-words decoded.
    public var subject: String? { field(named: "Subject")?.decodedValue }

    /// The Date field as a point in time (RFC 5322 §3.6.1).
    public var date: Date? { envelope.date.flatMap(MessageDate.parse) }

    /// The Message-ID field, raw.
    public var messageID: String? { envelope.messageID }
}
