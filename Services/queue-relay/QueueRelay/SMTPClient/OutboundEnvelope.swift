import Foundation
import SMTPProtocol
import StoreAPI

/// A queue entry's envelope as SMTP commands, the checks a message must pass before MAIL,
/// and replies turned into recipient outcomes: the client session's vocabulary, no state.
enum OutboundEnvelope {
    /// `MAIL FROM` with the parameters the message needs: none to a server that only said
    /// HELO; SIZE, BODY and SMTPUTF8 to one that said EHLO; RET and ENVID only when it speaks
    /// DSN (RFC 3461 §5.2.2(a)).
    static func mail(_ entry: QueueEntry, size: Int, esmtp: Bool, dsn: Bool) -> SMTPCommand {
        var parameters = MailParameters()
        if esmtp {
            parameters.size = size  // RFC 1870 §6
            if let body = entry.body { parameters.body = MailParameters.Body(rawValue: body) }  // RFC 6152 §2
            parameters.smtpUTF8 = entry.smtputf8 == true  // RFC 6531 §3.4
            if dsn {
                parameters.ret = entry.ret.flatMap(MailParameters.Return.init(rawValue:))
                parameters.envelopeID = entry.envid
            }
        }
        return .mail(from: path(entry.sender), parameters: parameters)
    }

    /// `RCPT TO`, with NOTIFY and ORCPT as received when the server speaks DSN (RFC 3461 §5.2.1).
    static func rcpt(_ recipient: QueueRecipient, dsn: Bool) -> SMTPCommand {
        var parameters = RcptParameters()
        if dsn {
            if let notify = recipient.notify {
                parameters.notify = notify.contains("NEVER") ? [] : Set(notify.compactMap(RcptParameters.Notify.init(rawValue:)))
            }
            if let orcpt = recipient.orcpt, let semicolon = orcpt.firstIndex(of: ";") {
                parameters.originalRecipient = .init(
                    addressType: String(orcpt[..<semicolon]),
                    address: String(orcpt[orcpt.index(after: semicolon)...]))
            }
        }
        return .rcpt(to: path(recipient.address), parameters: parameters)
    }

    static func path(_ address: String) -> SMTPPath {
        guard !address.isEmpty else { return .null }
        guard let at = address.lastIndex(of: "@") else { return SMTPPath(localPart: address, domain: "") }
        var local = String(address[..<at])
        // A quoted local part travels as it was given; SMTPPath quotes again when needed.
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            local = String(local.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        return SMTPPath(localPart: local, domain: String(address[address.index(after: at)...]))
    }

    /// Why this server cannot take the message, as a permanent status and reason; nil if it can.
    static func refusal(_ message: OutboundMessage, capabilities: EHLOResponse?, host: String) -> (status: String, reason: String)? {
        if let limit = capabilities?.sizeLimit, message.size > limit {
            return ("5.3.4", "\(host) takes messages up to \(limit) octets; this one has \(message.size)")  // RFC 1870 §6
        }
        if message.entry.smtputf8 == true && capabilities?.supports("SMTPUTF8") != true {
            return ("5.6.7", "\(host) does not support SMTPUTF8, which this message needs")  // RFC 6531 §3.5
        }
        if message.needs8BitMIME && capabilities?.supports("8BITMIME") != true {
            return ("5.6.3", "\(host) does not accept 8-bit content")  // RFC 6152 §3
        }
        return nil
    }

    /// A reply as the diagnostic of an outcome: `550 5.1.1 text`.
    static func diagnostic(_ reply: SMTPReply) -> String {
        "\(reply.code) \(reply.enhancedCode.map { "\($0) " } ?? "")\(reply.text)"
    }

    /// 2xx delivered, 4xx deferred, 5xx failed (RFC 5321 §4.2.1), with the reply as diagnostic;
    /// the reply's enhanced code as status, `defaultStatus` for a 5xx without one.
    static func outcome(_ address: String, _ reply: SMTPReply, defaultStatus: String, host: String) -> RecipientOutcome {
        let diagnostic = diagnostic(reply)
        let status = reply.enhancedCode?.description
        if reply.isPositiveCompletion {
            return RecipientOutcome(
                address: address, outcome: .delivered, status: status ?? "2.0.0", diagnostic: diagnostic,
                remoteMTA: host)
        }
        if reply.isPermanentNegative {
            return RecipientOutcome(
                address: address, outcome: .failed, status: status ?? defaultStatus, diagnostic: diagnostic,
                remoteMTA: host)
        }
        return RecipientOutcome(address: address, outcome: .deferred, status: status ?? "4.0.0", diagnostic: diagnostic, remoteMTA: host)
    }

    /// Not tried at this host for a reason of ours (`status` 4.x.x).
    static func deferred(_ address: String, status: String, reason: String, host: String) -> RecipientOutcome {
        RecipientOutcome(address: address, outcome: .deferred, status: status, diagnostic: reason, remoteMTA: host)
    }
}
