import Foundation
import SMTPProtocol
import StoreAPI

/// DATA and BDAT — after at least one accepted RCPT (RFC 5321 §4.1.1.4, §4.5.2; RFC 3030 §2–4).
///
/// The content leaves the session as it arrives (`.content`, spooled by the connection) up to
/// the size limit (beyond it, read to the end and answered `552`); trace headers are added,
/// and the message goes to the store in one durable write; only its success is answered `250`
/// (ARCHITECTURE.md, "Sending").
///
///     C: DATA
///     S: 354 Start mail input; end with <CRLF>.<CRLF>
///     C: …message…
///     C: .
///     S: 250 2.0.0 OK queued as 3f2a…
extension SMTPSession {
    mutating func data() -> [SessionAction] {
        guard phase == .command, let t = transaction else { return refuse(.mailFirst) }
        guard !t.chunking else { return refuse(.badSequence) }  // RFC 3030 §3: no DATA after BDAT
        guard !t.recipients.isEmpty else { return refuse(.noValidRecipients) }
        phase = .data
        decoder = DataStuffingDecoder(maxMessageSize: settings.maxMessageSize)
        return [.beginContent, .reply(.startMailInput)]
    }

    mutating func receiveData(_ bytes: [UInt8]) -> [SessionAction] {
        guard var d = decoder else { return [] }
        let output = d.decode(bytes)
        decoder = d
        var actions: [SessionAction] = []
        if let content = transaction?.append(output.message[...], limit: settings.maxMessageSize) { actions.append(content) }
        if d.findings.sizeExceeded { transaction?.tooBig = true }
        guard output.isComplete else { return actions }
        reader.append(output.leftover)
        phase = .command
        decoder = nil
        return actions + finishMessage()
    }

    mutating func bdat(size: Int, last: Bool) -> [SessionAction] {
        guard phase == .command, transaction != nil else {
            // The chunk still follows; it must be read and thrown away (RFC 3030 §4).
            phase = .bdat(remaining: size, last: false)
            transaction = nil
            return refuse(.mailFirst)
        }
        guard transaction?.recipients.isEmpty == false else {
            phase = .bdat(remaining: size, last: false)
            transaction = nil
            return refuse(.noValidRecipients)
        }
        let first = transaction?.chunking == false
        transaction?.chunking = true
        phase = .bdat(remaining: size, last: last)
        let begin: [SessionAction] = first ? [.beginContent] : []
        if size == 0 { return begin + receiveChunk([], remaining: 0, last: last) }
        return begin
    }

    mutating func receiveChunk(_ bytes: [UInt8], remaining: Int, last: Bool) -> [SessionAction] {
        let take = min(bytes.count, remaining)
        var actions: [SessionAction] = []
        if let content = transaction?.append(bytes[..<take], limit: settings.maxMessageSize) { actions.append(content) }
        reader.append(bytes[take...])
        let left = remaining - take
        guard left == 0 else {
            phase = .bdat(remaining: left, last: last)
            return actions
        }
        phase = .command
        guard let t = transaction else { return actions }  // a chunk after a refused BDAT, discarded
        if !last {
            if t.tooBig {
                transaction = nil
                return actions + refuse(.messageTooBig)
            }
            return actions + [.reply(SMTPReply(250, EnhancedStatusCode(2, 0, 0), "\(t.size) octets received"))]
        }
        return actions + finishMessage()
    }

    /// The content is complete: refuse it, or add the trace headers and hand it to the store.
    mutating func finishMessage() -> [SessionAction] {
        guard let t = transaction else { return [.reply(.badSequence)] }
        if t.tooBig {
            transaction = nil
            return [.reply(.messageTooBig)]
        }
        transactions += 1
        let queueID = "\(id).\(transactions)"
        let headers = TraceHeaders(
            hostname: settings.hostname, clientName: ehloDomain ?? "unknown", clientAddress: clientAddress,
            protocolName: protocolName, queueID: queueID,
            recipient: t.recipients.count == 1 ? t.recipients[0].address : nil, date: now())
        var prefix = headers.received()
        if listener.isSubmission {
            // RFC 6409 §8.1, §8.3: a submission server may add what the client left out.
            prefix += headers.missingSubmissionFields(in: t.head)
        }
        let envelope = DeliveryEnvelope(
            sender: t.sender.mailbox?.description ?? "", recipients: t.recipients, relay: authenticatedUser != nil,
            ret: t.parameters.ret?.rawValue, envid: t.parameters.envelopeID,
            smtputf8: t.parameters.smtpUTF8 ? true : nil, body: t.parameters.body?.rawValue, traceLength: prefix.count)
        pending = .delivery
        return [.deliver(prefix: prefix, envelope: envelope, idempotencyKey: queueID)]
    }

    mutating func finishDelivery(_ answer: StoreAnswer) -> [SessionAction] {
        let queueID = "\(id).\(transactions)"
        switch answer {
        case .delivered(let result):
            transaction = nil
            let accepted = result.recipients.contains { $0.status == .delivered || $0.status == .queued }
            return [.reply(accepted ? .messageAccepted(queueID) : .noValidRecipients)]
        case .rejected(code: APIErrorCode.overQuota.rawValue):
            // A mailbox filled up between RCPT and now. SMTP has one answer to the end of DATA
            // for all recipients, and the store stored nothing for any of them (all or none):
            // a temporary failure for the whole message, so the client sends it again, when
            // RCPT refuses the full mailbox alone. Never 250 for what was not stored.
            transaction = nil
            return [.reply(.mailboxFull)]
        case .rejected(code: APIErrorCode.largerThanQuota.rawValue):
            transaction = nil
            return [.reply(.largerThanQuota)]
        case .rejected:
            transaction = nil
            return [.reply(.contentRejected)]
        case .unavailable, .spoolFailed:
            // The transaction is over either way (RFC 5321 §4.1.1.4); the client sends it again.
            transaction = nil
            return [.reply(Self.storeUnavailable)]
        case .login, .scramSalt, .recipient:
            transaction = nil
            return [.reply(.badSequence)]
        }
    }

    /// RFC 3848 / RFC 6531 §3.7.3 `with` keywords for the Received header.
    var protocolName: String {
        var name = usedEHLO ? "ESMTP" : "SMTP"
        if transaction?.parameters.smtpUTF8 == true { name = "UTF8" + name }
        if isTLS { name += "S" }
        if authenticatedUser != nil { name += "A" }
        return name
    }
}
