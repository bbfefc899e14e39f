/// A reverse-path or forward-path, RFC 5321 §4.1.2: `"<" [ A-d-l ":" ] Mailbox ">"`,
/// or the null reverse-path `<>`.
///
/// ```
/// C: MAIL FROM:<>
/// C: RCPT TO:<@relay.example:user@example.org>
/// ```
/// The first is `SMTPPath.null`; the second has `mailbox` user@example.org and
/// `sourceRoute` ["relay.example"], which RFC 5321 §4.1.1.3 says to ignore: the
/// mailbox's domain is the true destination, and that is what relay checks use.
public struct SMTPPath: Sendable, Hashable, CustomStringConvertible {
    /// nil for the null reverse-path `<>` (bounces, RFC 5321 §4.5.5).
    public var mailbox: Mailbox?
    /// The domains of an obsolete source route as given; never used for routing.
    public var sourceRoute: [String]

    public init(mailbox: Mailbox?, sourceRoute: [String] = []) {
        self.mailbox = mailbox
        self.sourceRoute = sourceRoute
    }

    public init(localPart: String, domain: String) {
        self.init(mailbox: Mailbox(localPart: localPart, domain: domain))
    }

    /// `<>`. RFC 5321 §4.1.1.2.
    public static let null = SMTPPath(mailbox: nil)

    public var isNull: Bool { mailbox == nil }

    /// Whether the client wrote a source route (which we ignored). RFC 5321 §4.1.1.3.
    public var hasSourceRoute: Bool { !sourceRoute.isEmpty }

    /// Whether the address is non-ASCII, so the transaction needs SMTPUTF8. RFC 6531 §3.4.
    public var requiresSMTPUTF8: Bool { !(mailbox?.isASCII ?? true) }

    /// `<local@domain>` without the source route (RFC 5321 §4.1.1.3: SHOULD NOT send one).
    public var description: String { "<\(mailbox?.description ?? "")>" }

    /// The bytes of `description`, for command lines.
    public var encoded: [UInt8] { Array(description.utf8) }
}
