import POP3Protocol

/// STLS (RFC 2595 §4), in AUTHORIZATION before login.
extension POP3Session {
    mutating func stls() -> [SessionAction] {
        guard !isTLS else { return refuse(.tlsAlreadyActive) }
        guard settings.tlsAvailable else { return refuse(.tlsNotAvailable) }
        // RFC 2595 §4 and the command-injection class of bugs: what came in the clear after
        // STLS is discarded, and the session starts over.
        _ = reader.takeBuffered()
        phase = .authorization(user: nil)
        return [.reply(.beginTLS), .startTLS]
    }
}
