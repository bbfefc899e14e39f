import SMTPProtocol

/// HELO and EHLO — any state; they reset a transaction in progress (RFC 5321 §4.1.1.1, §4.1.4).
///
///     C: EHLO client.example
///     S: 250-mx.example.test Hello client.example
///     S: 250-PIPELINING
///     S: 250 SIZE 26214400
extension SMTPSession {
    mutating func helo(_ domain: String) -> [SessionAction] {
        greeted(domain, extended: false)
        return [.reply(SMTPReply(250, nil, "\(settings.hostname) Hello \(domain)"))]
    }

    mutating func ehlo(_ domain: String) -> [SessionAction] {
        greeted(domain, extended: true)
        // RFC 4954 §4 / RFC 3207: no AUTH on a plaintext connection where TLS must come
        // first, and none at all on the MX port.
        let authOffered = listener.isSubmission && (isTLS || settings.allowPlaintextAuth)
        let response = EHLOResponse.server(
            domain: settings.hostname, greeting: "Hello \(domain)", maxMessageSize: settings.maxMessageSize,
            offerStartTLS: !isTLS && settings.tlsAvailable && listener != .submissions,
            authMechanisms: authOffered && authenticatedUser == nil ? SMTPSession.authMechanisms : [])
        return [.reply(response.reply)]
    }

    private mutating func greeted(_ domain: String, extended: Bool) {
        ehloDomain = domain
        usedEHLO = extended
        transaction = nil
        phase = .command
    }
}
