/// A mailbox name, decoded to Unicode. RFC 9051 §5.1, RFC 3501 §5.1.3, RFC 6855 §3.
///
/// ```
/// mailbox = "INBOX" / astring      ; INBOX is case-insensitive    RFC 9051 §9
/// ```
/// ```
/// C: a1 SELECT inbox                 -> "INBOX"
/// C: a2 CREATE "Entw&APw-rfe"        -> "Entwürfe" (modified UTF-7, RFC 3501 §5.1.3)
/// C: a3 CREATE "Entwürfe"            -> "Entwürfe" (UTF-8, after ENABLE UTF8=ACCEPT, RFC 6855 §3)
/// ```
public struct MailboxName: Sendable, Hashable, CustomStringConvertible {
    /// The name in Unicode; `INBOX` in capitals whatever case it was sent in.
    public let name: String

    public static let inbox = MailboxName("INBOX")

    public init(_ name: String) {
        // Any case of INBOX names the same mailbox, also as the parent of others
        // (`inbox/Lists` is `INBOX/Lists`). RFC 9051 §5.1
        if name.uppercased() == "INBOX" {
            self.name = "INBOX"
        } else if name.count > 6, name.prefix(6).uppercased() == "INBOX/" {
            self.name = "INBOX/" + name.dropFirst(6)
        } else {
            self.name = name
        }
    }

    public var isInbox: Bool { name == "INBOX" }
    public var description: String { name }

    /// Decodes a name as sent (an astring's content). With UTF8=ACCEPT enabled it is UTF-8 and
    /// `&` is just `&` (RFC 6855 §3). Otherwise ASCII names are modified UTF-7 (RFC 3501
    /// §5.1.3); 8-bit names are taken as UTF-8, which IMAP4rev2 clients send (RFC 9051 §5.1).
    public init(wire bytes: [UInt8], utf8Enabled: Bool = false) throws(IMAPSyntaxError) {
        if utf8Enabled || bytes.contains(where: { $0 >= 0x80 }) {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw IMAPSyntaxError(.badMailboxName, "mailbox name is not UTF-8")
            }
            self.init(text)
        } else {
            guard let text = ModifiedUTF7.decode(bytes) else {
                throw IMAPSyntaxError(.badMailboxName, "mailbox name is not modified UTF-7")
            }
            self.init(text)
        }
    }

    /// The name as sent: UTF-8 after ENABLE UTF8=ACCEPT (RFC 6855 §3), else modified UTF-7.
    public func wire(utf8Enabled: Bool = false) -> [UInt8] {
        utf8Enabled ? Array(name.utf8) : ModifiedUTF7.encode(name)
    }

    /// The name as an astring on the wire.
    public func encoded(utf8Enabled: Bool = false, style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        IMAPString.astring(wire(utf8Enabled: utf8Enabled), style: style)
    }
}

extension IMAPCursor {
    /// mailbox = "INBOX" / astring. RFC 9051 §9
    mutating func mailbox(utf8Enabled: Bool) throws(IMAPSyntaxError) -> MailboxName {
        try MailboxName(wire: astring(), utf8Enabled: utf8Enabled)
    }
}
