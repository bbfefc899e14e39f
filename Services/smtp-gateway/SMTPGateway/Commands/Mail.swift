import SMTPProtocol
import StoreAPI

/// MAIL FROM — after HELO/EHLO, outside a transaction (RFC 5321 §4.1.1.2; SIZE RFC 1870,
/// BODY RFC 6152, SMTPUTF8 RFC 6531, RET/ENVID RFC 3461). On submission the sender must be one
/// of the authenticated user's addresses (RFC 6409 §6.1), which asks the store.
///
///     C: MAIL FROM:<alice@example.test> SIZE=1024 BODY=8BITMIME
///     S: 250 2.1.0 Sender OK
extension SMTPSession {
    mutating func mail(_ from: SMTPPath, _ parameters: MailParameters) -> [SessionAction] {
        guard phase == .command else { return refuse(.heloFirst) }
        guard transaction == nil else { return refuse(SMTPReply(503, EnhancedStatusCode(5, 5, 1), "Nested MAIL command")) }
        if listener == .submission && !isTLS && !settings.allowPlaintextAuth { return refuse(.encryptionRequired) }
        if listener.isSubmission && authenticatedUser == nil { return refuse(.authRequired) }
        if let unknown = parameters.other.first {
            _ = unknown
            return refuse(.parameterNotRecognized)
        }
        if let size = parameters.size, size > settings.maxMessageSize { return refuse(.messageTooBig) }
        if from.requiresSMTPUTF8 && !parameters.smtpUTF8 { return refuse(.smtpUTF8Required) }
        let proposed = MailTransaction(sender: from, parameters: parameters)
        guard listener.isSubmission, let user = authenticatedUser else {
            transaction = proposed
            return [.reply(.okSender)]
        }
        // A user may send as themselves without asking; anything else is checked.
        guard let mailbox = from.mailbox else { return refuse(.senderNotOwned) }
        let address = Validation.address(mailbox.description)
        if address == user {
            transaction = proposed
            return [.reply(.okSender)]
        }
        guard let address else { return refuse(.senderNotOwned) }
        pending = .sender(proposed)
        return [.lookup(address: address)]
    }

    mutating func finishMail(_ proposed: MailTransaction, _ answer: StoreAnswer) -> [SessionAction] {
        switch answer {
        case .recipient(let info) where info.local && info.exists && info.accounts.contains(authenticatedUser ?? ""):
            transaction = proposed
            return [.reply(.okSender)]
        case .unavailable, .spoolFailed:
            return [.reply(Self.storeUnavailable)]
        default:
            return refuse(.senderNotOwned)
        }
    }
}
