import SMTPProtocol
import StoreAPI

/// RCPT TO — after MAIL (RFC 5321 §4.1.1.3; NOTIFY/ORCPT RFC 3461 §4.1–4.2).
///
/// Never an open relay: without AUTH only addresses in our domains are taken, judged by the
/// final domain of the path (source routes are ignored, §4.1.1.3; `%` and quoted `@` in a
/// local part belong to the local part, so `"u@other"@ours` is a local address that does not
/// exist). Unknown local users are refused here, not bounced later (ARCHITECTURE.md).
///
///     C: RCPT TO:<bob@example.test> NOTIFY=FAILURE
///     S: 250 2.1.5 Recipient OK
extension SMTPSession {
    mutating func rcpt(_ to: SMTPPath, _ parameters: RcptParameters) -> [SessionAction] {
        guard phase == .command, transaction != nil else { return refuse(.mailFirst) }
        guard let mailbox = to.mailbox else { return refuse(.badRecipientAddress) }
        if !parameters.other.isEmpty { return refuse(.parameterNotRecognized) }
        if transaction?.parameters.smtpUTF8 != true && to.requiresSMTPUTF8 { return refuse(.smtpUTF8Required) }
        guard (transaction?.recipients.count ?? 0) < settings.maxRecipients else {
            // RFC 5321 §4.5.3.1.10: a temporary code, so that the client sends the rest later.
            return [.reply(.tooManyRecipients)]
        }
        // `postmaster` without a domain is always ours (RFC 5321 §4.1.1.3): the store names
        // the primary domain's postmaster.
        if mailbox.isBarePostmaster {
            pending = .recipient(to, parameters)
            return [.lookup(address: "postmaster")]
        }
        let text = mailbox.description
        if let address = Validation.address(text) {
            pending = .recipient(to, parameters)
            return [.lookup(address: address)]
        }
        // Not an address an account of ours could have: a remote one at best.
        if authenticatedUser != nil, Validation.remoteAddress(text) != nil {
            accept(text, parameters)
            return [.reply(.okRecipient)]
        }
        if mailbox.addressLiteral != nil || authenticatedUser == nil && Validation.domain(mailbox.domain) == nil {
            return refuse(.relayDenied)
        }
        // A quoted or odd local part at a real domain: ask whether the domain is ours.
        pending = .recipient(to, parameters)
        return [.lookup(address: "postmaster@" + mailbox.normalizedDomain)]
    }

    mutating func finishRcpt(_ to: SMTPPath, _ parameters: RcptParameters, _ answer: StoreAnswer) -> [SessionAction] {
        guard let mailbox = to.mailbox else { return refuse(.badRecipientAddress) }
        let asked = Validation.address(mailbox.description)
        switch answer {
        case .unavailable, .spoolFailed:
            return [.reply(Self.storeUnavailable)]
        case .rejected:
            return refuse(.mailboxUnavailable)
        case .recipient(let info):
            if info.local {
                // Ours: it must exist, and be exactly the address that was looked up.
                guard asked != nil || mailbox.isBarePostmaster, info.exists else { return refuse(.mailboxUnavailable) }
                // A full mailbox is refused here, for this recipient alone, so that the others
                // of the transaction still get the message (SMTPReply+Quota). Not an error of
                // the client's: not counted towards maxErrors.
                if info.overQuota == true { return [.reply(.mailboxFull)] }
                accept(info.address, parameters)
                return [.reply(.okRecipient)]
            }
            guard authenticatedUser != nil else { return refuse(.relayDenied) }
            accept(mailbox.description, parameters)
            return [.reply(.okRecipient)]
        case .login, .scramSalt, .delivered:
            return refuse(.badSequence)
        }
    }

    private mutating func accept(_ address: String, _ parameters: RcptParameters) {
        let notify = parameters.notify.map { set in set.isEmpty ? ["NEVER"] : set.map(\.rawValue).sorted() }
        let orcpt = parameters.originalRecipient.map { "\($0.addressType);\($0.address)" }
        transaction?.recipients.append(EnvelopeRecipient(address: address, notify: notify, orcpt: orcpt))
    }
}
