/// `POST /v1/accounts/{account}/mailboxes/{id}/recent`: IMAP4rev1's `\Recent` (RFC 3501
/// §2.3.2), handed out once. The store keeps per mailbox the largest UID some session has
/// been told is recent; a session that SELECTs the mailbox (or hears of new messages in it)
/// claims every UID above that mark up to `upTo`, in one write, so that of all sessions on
/// all gateways exactly one sees each message as recent. With `claim` false (EXAMINE, which
/// must not take \Recent away: RFC 3501 §6.3.2) the mark is only read.
public struct RecentClaimRequest: Codable, Sendable {
    /// The largest UID the session knows of; the mark never moves past the mailbox's UIDNEXT - 1.
    public var upTo: UInt32
    public var claim: Bool
    public init(upTo: UInt32, claim: Bool = true) {
        self.upTo = upTo
        self.claim = claim
    }
}

public struct RecentClaim: Codable, Sendable, Equatable {
    /// UIDs above `from` and up to the request's `upTo` are recent for the caller.
    public var from: UInt32
    public init(from: UInt32) { self.from = from }
}
