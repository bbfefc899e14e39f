/// The replies for a recipient over its quota (RFC 9208 limits set with `mailctl quota`).
///
/// Temporary by default: RFC 3463 §3.3 calls X.2.2 "mailbox full" a persistent transient
/// failure ("the recipient can delete messages to make more space available"), so the sender
/// keeps the message and tries again, and nothing is lost while the owner makes room.
/// Permanent only when the message alone is larger than the whole quota: no amount of
/// deleting makes it fit, and a retry for days would only delay the bounce.
extension SMTPReply {
    /// `452 4.2.2`: the mailbox is full; try later. RFC 5321 §4.2.2 (452 insufficient system
    /// storage, allowed after RCPT and after DATA, §4.3.2), RFC 3463 §3.3 (X.2.2).
    public static let mailboxFull = SMTPReply(452, EnhancedStatusCode(4, 2, 2), "Mailbox full, try again later")
    /// `552 5.2.2`: larger than the recipient's whole quota. RFC 5321 §4.2.2 (552 exceeded
    /// storage allocation), RFC 3463 §3.3 (X.2.2).
    public static let largerThanQuota = SMTPReply(552, EnhancedStatusCode(5, 2, 2), "Message larger than the mailbox quota")
}
