/// One address as IMAP's ENVELOPE represents it (RFC 3501 §7.4.2, RFC 5322 §3.4).
///
/// ```
/// "Doe, John" <john@example.com>   -> name "Doe, John", mailbox "john", host "example.com"
/// team: a@x.org, b@y.org;           -> (mailbox "team", host nil) a b (all nil)
/// ```
/// A group is a start marker (`mailbox` = group name, `host` nil), its members,
/// and an end marker (everything nil). Values stay raw: an encoded-word display
/// name is not decoded, a quoted local part keeps its quotes.
public struct Address: Codable, Sendable, Hashable {
    /// The display name (RFC 5322 `display-name`), quotes removed; for an address
    /// without one, the text of a trailing comment (`a@b (Name)`), else nil.
    public var name: String?
    /// The obsolete source route (RFC 5322 §4.4 `obs-route`) such as "@a.org,@b.org".
    public var adl: String?
    /// The local part; for a group start the group name; nil for a group end.
    public var mailbox: String?
    /// The domain; nil marks a group start or end (RFC 3501 §7.4.2).
    public var host: String?

    public init(name: String? = nil, adl: String? = nil, mailbox: String?, host: String?) {
        self.name = name
        self.adl = adl
        self.mailbox = mailbox
        self.host = host
    }

    /// Host given to a mailbox written without a domain, so it is not mistaken for
    /// a group marker (the value UW IMAP uses).
    public static let missingHost = ".MISSING-HOST-NAME."

    public var isGroupStart: Bool { host == nil && mailbox != nil }
    public var isGroupEnd: Bool { host == nil && mailbox == nil }

    /// `mailbox@host` for an ordinary address, nil for a group marker.
    public var addressSpec: String? {
        guard let mailbox, let host else { return nil }
        return host == Self.missingHost ? mailbox : "\(mailbox)@\(host)"
    }
}
