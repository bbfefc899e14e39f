import SMTPProtocol

/// RSET — any state; ends the transaction (RFC 5321 §4.1.1.5).
extension SMTPSession {
    mutating func rset() -> [SessionAction] {
        transaction = nil
        return [.reply(.ok)]
    }
}
