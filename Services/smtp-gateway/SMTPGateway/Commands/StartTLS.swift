import SMTPProtocol

/// STARTTLS — before TLS, outside a transaction (RFC 3207 §4).
///
///     C: STARTTLS
///     S: 220 2.0.0 Ready to start TLS
extension SMTPSession {
    mutating func startTLS() -> [SessionAction] {
        guard !isTLS else { return refuse(.badSequence) }
        guard settings.tlsAvailable, listener != .submissions else { return refuse(.tlsNotAvailable) }
        guard transaction == nil else { return refuse(.badSequence) }
        // RFC 3207 §4.2 and the STARTTLS command-injection class of bugs: anything the client
        // sent after STARTTLS in the clear is discarded, and the session starts over.
        _ = reader.takeBuffered()
        phase = .greeting
        ehloDomain = nil
        usedEHLO = false
        return [.reply(.readyToStartTLS), .startTLS]
    }
}
