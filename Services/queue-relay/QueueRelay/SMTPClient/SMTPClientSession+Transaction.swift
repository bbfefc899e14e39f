import SMTPProtocol
import StoreAPI

/// The mail transactions of one message (RFC 5321 §3.3, §4.1.1.2–§4.1.1.5): MAIL, RCPT…,
/// DATA, the content, its reply; RSET after a transaction that ended half-way.
extension SMTPClientSession {
    /// The checks a message must pass at this server (a permanent failure if not, and no
    /// command is sent), then its first transaction.
    mutating func beginMessage() -> [SMTPClientAction] {
        guard var delivery else { return [] }  // opened without a message: idle
        if let refusal = OutboundEnvelope.refusal(delivery.message, capabilities: capabilities, host: host) {
            delivery.decided += delivery.left.map {
                RecipientOutcome(address: $0.address, outcome: .failed, status: refusal.status, diagnostic: refusal.reason, remoteMTA: host)
            }
            delivery.left = []
            self.delivery = delivery
        }
        guard !delivery.left.isEmpty else { return finish() }
        return beginTransaction()
    }

    /// MAIL for the recipients left; with PIPELINING MAIL and every RCPT in one write, the
    /// replies matched to them in order (RFC 2920 §3.1). DATA waits for the RCPT replies.
    mutating func beginTransaction() -> [SMTPClientAction] {
        guard let delivery else { return [] }
        let dsn = capabilities?.supports("DSN") == true
        let mail = OutboundEnvelope.mail(delivery.message.entry, size: delivery.message.size, esmtp: capabilities != nil, dsn: dsn)
        let rcpts = delivery.left.map { OutboundEnvelope.rcpt($0, dsn: dsn) }
        let pipelined = capabilities?.supports("PIPELINING") == true
        transaction = Transaction(recipients: delivery.left, rcpts: rcpts, pipelined: pipelined, dsn: dsn)
        state = .mail
        return [.send(pipelined ? mail.encoded + rcpts.flatMap(\.encoded) : mail.encoded)]
    }

    /// Without PIPELINING the RCPTs follow a 2xx to MAIL one by one; after a refusal none is sent.
    mutating func mailAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard var t = transaction else { return [] }
        t.mailReply = reply
        transaction = t
        state = .rcpt
        if t.pipelined { return [] }
        guard reply.isPositiveCompletion else { return envelopeAnswered() }
        return [.send(t.rcpts[0].encoded)]
    }

    mutating func rcptAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard var t = transaction else { return [] }
        t.rcptReplies.append(reply)
        transaction = t
        if t.rcptReplies.count == t.rcpts.count { return envelopeAnswered() }
        return t.pipelined ? [] : [.send(t.rcpts[t.rcptReplies.count].encoded)]
    }

    /// Every reply to MAIL and the RCPTs is in: DATA if anyone was accepted.
    mutating func envelopeAnswered() -> [SMTPClientAction] {
        guard var t = transaction, let mailReply = t.mailReply else { return [] }
        guard mailReply.isPositiveCompletion else {
            let outcomes = t.recipients.map { OutboundEnvelope.outcome($0.address, mailReply, defaultStatus: "5.1.7", host: host) }
            // After a 5xx nothing began; after anything else the server may hold half a
            // transaction: RSET (RFC 5321 §4.1.1.5).
            return mailReply.isPermanentNegative ? commit(outcomes, overflow: []) : reset(then: outcomes, overflow: [])
        }
        for (recipient, reply) in zip(t.recipients, t.rcptReplies) {
            if reply.isPositiveCompletion {
                t.accepted.append(recipient)
            } else if reply.code == 452 && reply.enhancedCode?.description == "4.5.3" && !t.accepted.isEmpty {
                t.overflow.append(recipient)  // too many recipients: the next transaction (RFC 5321 §4.5.3.1.10)
            } else {
                t.outcomes.append(OutboundEnvelope.outcome(recipient.address, reply, defaultStatus: "5.1.1", host: host))
            }
        }
        transaction = t
        guard !t.accepted.isEmpty else { return reset(then: t.outcomes, overflow: []) }
        state = .dataInitiation
        return [.send(SMTPCommand.data.encoded)]
    }

    /// 354: the content. Anything else refuses it for the accepted recipients.
    mutating func dataAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard let t = transaction else { return [] }
        if reply.code == 354 {  // RFC 5321 §4.1.1.4
            state = .body
            return [.sendBody]
        }
        if reply.isPositiveCompletion || reply.isPositiveIntermediate {
            return fail("\(host): protocol violation: \(OutboundEnvelope.diagnostic(reply)) to DATA", quit: false)
        }
        let refused = t.accepted.map { OutboundEnvelope.outcome($0.address, reply, defaultStatus: "5.3.0", host: host) }
        return reset(then: t.outcomes + refused, overflow: t.overflow)
    }

    /// The reply after the final dot is every accepted recipient's outcome (RFC 5321 §4.1.1.4).
    mutating func contentAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard let t = transaction else { return [] }
        let ended = t.accepted.map { recipient in
            var result = OutboundEnvelope.outcome(recipient.address, reply, defaultStatus: "5.3.0", host: host)
            // A next hop that speaks DSN took NOTIFY over (RFC 3461 §5.2.1).
            if result.outcome == .delivered { result.notifyPassedOn = t.dsn }
            return result
        }
        return commit(t.outcomes + ended, overflow: t.overflow)
    }

    /// RSET, then the transaction's outcomes stand, whatever RSET's reply.
    mutating func reset(then outcomes: [RecipientOutcome], overflow: [QueueRecipient]) -> [SMTPClientAction] {
        transaction = nil
        afterReset = (outcomes, overflow)
        state = .reset
        return [.send(SMTPCommand.rset.encoded)]
    }

    mutating func resetAnswered(_ reply: SMTPReply) -> [SMTPClientAction] {
        guard let pending = afterReset else { return [] }
        afterReset = nil
        return commit(pending.outcomes, overflow: pending.overflow)
    }

    /// A transaction ended: its outcomes are decided; the recipients a 452 left over go in
    /// the next one, unless the server took none of them (then they wait for a later attempt).
    mutating func commit(_ outcomes: [RecipientOutcome], overflow: [QueueRecipient]) -> [SMTPClientAction] {
        guard var delivery else { return [] }
        transaction = nil
        delivery.decided += outcomes
        if !overflow.isEmpty && overflow.count >= delivery.left.count {
            delivery.decided += overflow.map {
                OutboundEnvelope.deferred($0.address, status: "4.5.3", reason: "\(host): too many recipients", host: host)
            }
            delivery.left = []
        } else {
            delivery.left = overflow
        }
        self.delivery = delivery
        state = .idle
        return delivery.left.isEmpty ? finish() : beginTransaction()
    }

    /// Every recipient has an outcome; the session is idle for the next message.
    mutating func finish() -> [SMTPClientAction] {
        guard let delivery else { return [] }
        self.delivery = nil
        transaction = nil
        state = .idle
        return [.finished(SMTPClientOutcome(result: .recipients(delivery.decided), reusable: true))]
    }
}
