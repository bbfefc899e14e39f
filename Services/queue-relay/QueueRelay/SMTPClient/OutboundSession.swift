import Foundation
import NIOSSL
import SMTPProtocol
import StoreAPI

/// One delivery attempt of one message to one destination host over SMTP (RFC 5321 §3,
/// §4.1; the client side): EHLO (HELO if refused), STARTTLS when offered, MAIL with the
/// parameters the message needs, RCPT per recipient (PIPELINING when offered), DATA.
///
/// Answers an outcome per recipient, or that the next host should be tried (the host could
/// not be reached, greeted with 4xx, or failed before any recipient got an answer).
struct OutboundSession {
    struct Settings {
        var hostname: String
        var timeout: Duration
        var requireVerifiedTLS: Bool
        var caFile: String?
    }

    enum Result {
        case outcomes([RecipientOutcome])
        /// Nothing was decided at this host; `reason` is kept for when no host works.
        case tryNextHost(reason: String)
    }

    let settings: Settings
    let host: String
    let connection: SMTPClientConnection

    /// RFC 5321 §4.5.3.2: the end of DATA may take the server longer.
    var dataTimeout: Duration { settings.timeout * 2 }

    /// What `open()` found: a session ready for mail, or a host to skip.
    enum Opened {
        case ready(EHLOResponse?)
        case tryNextHost(reason: String)
    }

    /// Greeting, EHLO (HELO if refused) and STARTTLS when offered or required.
    func open() async -> Opened {
        do {
            let greeting = try await connection.reply(within: settings.timeout, waitingFor: "greeting")
            // A host that greets with anything but 2xx is skipped for the next one, 5xx too
            // (Postfix's smtp_skip_5xx_greeting): a refusal at the door is about the host.
            guard greeting.isPositiveCompletion else {
                return .tryNextHost(reason: "\(host) greeted with \(greeting.code) \(greeting.text)")
            }
            var capabilities = try await hello()
            if capabilities?.supports("STARTTLS") == true {
                let reply = try await connection.command(.startTLS, within: settings.timeout)
                if reply.isPositiveCompletion {
                    try await connection.startTLS(serverName: host, verify: settings.requireVerifiedTLS, caFile: settings.caFile,
                                                  timeout: settings.timeout)
                    capabilities = try await hello()
                } else if settings.requireVerifiedTLS {
                    return .tryNextHost(reason: "\(host) refused STARTTLS: \(reply.text)")
                }
            } else if settings.requireVerifiedTLS {
                return .tryNextHost(reason: "\(host) does not offer STARTTLS, which policy requires")
            }
            return .ready(capabilities)
        } catch {
            return .tryNextHost(reason: Self.describe(error, host: host))
        }
    }

    /// The mail transactions for one message on an open session. The session stays open
    /// (for the next message to this host) unless the result says to try another host.
    func deliver(entry: QueueEntry, recipients: [QueueRecipient], message: [UInt8], capabilities: EHLOResponse?) async -> Result {
        if let refusal = cannotTake(entry: entry, message: message, capabilities: capabilities) {
            return .outcomes(recipients.map { RecipientOutcome(address: $0.address, outcome: .failed, status: refusal.status,
                                                               diagnostic: refusal.reason, remoteMTA: host) })
        }
        do {
            return .outcomes(try await transactions(entry: entry, recipients: recipients, message: message, capabilities: capabilities))
        } catch {
            return .tryNextHost(reason: Self.describe(error, host: host))
        }
    }

    static func describe(_ error: any Error, host: String) -> String {
        // BoringSSL's text names files of our build: not for a notice to a stranger.
        if error is NIOSSLError { return "\(host): TLS handshake failed" }
        return "\(host): \(error)"
    }

    /// EHLO, or HELO when EHLO is refused (RFC 5321 §4.1.4): nil capabilities after HELO.
    private func hello() async throws -> EHLOResponse? {
        let ehlo = try await connection.command(.ehlo(settings.hostname), within: settings.timeout)
        if ehlo.isPositiveCompletion { return EHLOResponse(reply: ehlo) }
        let helo = try await connection.command(.helo(settings.hostname), within: settings.timeout)
        guard helo.isPositiveCompletion else { throw SMTPClientConnection.ConnectionError.protocolViolation("HELO refused: \(helo.text)") }
        return nil
    }

    /// A message this server cannot take fails permanently, with the right status.
    private func cannotTake(entry: QueueEntry, message: [UInt8], capabilities: EHLOResponse?) -> (status: String, reason: String)? {
        if let limit = capabilities?.sizeLimit, message.count > limit {
            return ("5.3.4", "\(host) takes messages up to \(limit) octets; this one has \(message.count)")  // RFC 1870 §6
        }
        if entry.smtputf8 == true && capabilities?.supports("SMTPUTF8") != true {
            return ("5.6.7", "\(host) does not support SMTPUTF8, which this message needs")  // RFC 6531 §3.5
        }
        if entry.body == "8BITMIME" && capabilities?.supports("8BITMIME") != true && message.contains(where: { $0 >= 0x80 }) {
            return ("5.6.3", "\(host) does not accept 8-bit content")  // RFC 6152 §3
        }
        return nil
    }

    /// MAIL, RCPT…, DATA; again on the same connection for recipients refused with 452
    /// "too many recipients" (RFC 5321 §4.5.3.1.10), until each has an outcome.
    private func transactions(entry: QueueEntry, recipients: [QueueRecipient], message: [UInt8],
                              capabilities: EHLOResponse?) async throws -> [RecipientOutcome] {
        var outcomes: [RecipientOutcome] = []
        var left = recipients
        while !left.isEmpty {
            let (decided, overflow) = try await transaction(entry: entry, recipients: left, message: message, capabilities: capabilities)
            outcomes += decided
            guard overflow.count < left.count else {
                outcomes += overflow.map { deferred($0.address, "\(host): too many recipients") }
                break
            }
            left = overflow
        }
        return outcomes
    }

    private func transaction(entry: QueueEntry, recipients: [QueueRecipient], message: [UInt8],
                             capabilities: EHLOResponse?) async throws -> ([RecipientOutcome], [QueueRecipient]) {
        let esmtp = capabilities != nil
        let dsn = capabilities?.supports("DSN") == true
        let mail = SMTPCommand.mail(from: try path(entry.sender), parameters: mailParameters(entry: entry, size: message.count, esmtp: esmtp, dsn: dsn))
        let rcpts = try recipients.map { SMTPCommand.rcpt(to: try path($0.address), parameters: rcptParameters($0, dsn: dsn)) }
        var replies: [SMTPReply] = []
        if capabilities?.supports("PIPELINING") == true {
            // RFC 2920 §3.1: MAIL and the RCPTs in one go, replies read in order.
            try await connection.send((mail.encoded) + rcpts.flatMap(\.encoded))
            for command in [mail] + rcpts {
                replies.append(try await connection.reply(within: settings.timeout, waitingFor: "reply to \(command.verb)"))
            }
        } else {
            let first = try await connection.command(mail, within: settings.timeout)
            replies.append(first)
            if first.isPositiveCompletion {
                for rcpt in rcpts { replies.append(try await connection.command(rcpt, within: settings.timeout)) }
            }
        }
        let mailReply = replies[0]
        guard mailReply.isPositiveCompletion else {
            if !mailReply.isPermanentNegative { _ = try? await connection.command(.rset, within: settings.timeout) }
            return (all(recipients, failed: mailReply, status: "5.1.7"), [])
        }
        var outcomes: [RecipientOutcome] = []
        var accepted: [QueueRecipient] = []
        var overflow: [QueueRecipient] = []
        for (recipient, reply) in zip(recipients, replies.dropFirst()) {
            if reply.isPositiveCompletion {
                accepted.append(recipient)
            } else if reply.code == 452 && reply.enhancedCode?.description == "4.5.3" && !accepted.isEmpty {
                overflow.append(recipient)
            } else {
                outcomes.append(outcome(recipient.address, reply, defaultStatus: "5.1.1"))
            }
        }
        guard !accepted.isEmpty else {
            _ = try? await connection.command(.rset, within: settings.timeout)
            return (outcomes, [])
        }
        let go = try await connection.command(.data, within: settings.timeout)
        guard go.code == 354 else {
            return (outcomes + accepted.map { outcome($0.address, go, defaultStatus: "5.3.0") }, overflow)
        }
        try await connection.send(DataStuffingEncoder.encode(message: message))
        let end = try await connection.reply(within: dataTimeout, waitingFor: "reply to the end of DATA")
        return (outcomes + accepted.map { r in
            var result = outcome(r.address, end, defaultStatus: "5.3.0")
            if result.outcome == .delivered { result.notifyPassedOn = dsn }
            return result
        }, overflow)
    }

    private func path(_ address: String) throws -> SMTPPath {
        guard !address.isEmpty else { return .null }
        guard let at = address.lastIndex(of: "@") else { return SMTPPath(localPart: address, domain: "") }
        var local = String(address[..<at])
        // A quoted local part travels as it was given; SMTPPath quotes again when needed.
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            local = String(local.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        return SMTPPath(localPart: local, domain: String(address[address.index(after: at)...]))
    }

    private func mailParameters(entry: QueueEntry, size: Int, esmtp: Bool, dsn: Bool) -> MailParameters {
        guard esmtp else { return MailParameters() }
        var parameters = MailParameters()
        parameters.size = size
        if let body = entry.body { parameters.body = MailParameters.Body(rawValue: body) }
        parameters.smtpUTF8 = entry.smtputf8 == true
        if dsn {
            parameters.ret = entry.ret.flatMap(MailParameters.Return.init(rawValue:))
            parameters.envelopeID = entry.envid
        }
        return parameters
    }

    private func rcptParameters(_ recipient: QueueRecipient, dsn: Bool) -> RcptParameters {
        guard dsn else { return RcptParameters() }
        var parameters = RcptParameters()
        if let notify = recipient.notify {
            parameters.notify = notify.contains("NEVER") ? [] : Set(notify.compactMap(RcptParameters.Notify.init(rawValue:)))
        }
        if let orcpt = recipient.orcpt, let semicolon = orcpt.firstIndex(of: ";") {
            parameters.originalRecipient = .init(addressType: String(orcpt[..<semicolon]), address: String(orcpt[orcpt.index(after: semicolon)...]))
        }
        return parameters
    }

    /// 2xx delivered, 4xx deferred, 5xx failed (RFC 5321 §4.2.1), with the reply as diagnostic.
    private func outcome(_ address: String, _ reply: SMTPReply, defaultStatus: String) -> RecipientOutcome {
        let diagnostic = "\(reply.code) \(reply.enhancedCode.map { "\($0) " } ?? "")\(reply.text)"
        if reply.isPositiveCompletion {
            return RecipientOutcome(address: address, outcome: .delivered, status: reply.enhancedCode?.description ?? "2.0.0",
                                    diagnostic: diagnostic, remoteMTA: host)
        }
        if reply.isPermanentNegative {
            return RecipientOutcome(address: address, outcome: .failed, status: reply.enhancedCode?.description ?? defaultStatus,
                                    diagnostic: diagnostic, remoteMTA: host)
        }
        return RecipientOutcome(address: address, outcome: .deferred, status: reply.enhancedCode?.description ?? "4.0.0",
                                diagnostic: diagnostic, remoteMTA: host)
    }

    private func all(_ recipients: [QueueRecipient], failed reply: SMTPReply, status: String) -> [RecipientOutcome] {
        recipients.map { outcome($0.address, reply, defaultStatus: status) }
    }

    private func deferred(_ address: String, _ reason: String) -> RecipientOutcome {
        RecipientOutcome(address: address, outcome: .deferred, status: "4.5.3", diagnostic: reason, remoteMTA: host)
    }
}
