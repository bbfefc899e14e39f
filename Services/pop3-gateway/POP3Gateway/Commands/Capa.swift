import POP3Protocol

/// CAPA (RFC 2449 §5), in any state.
extension POP3Session {
    mutating func capa() -> [SessionAction] {
        [.raw(capabilities.encoded)]
    }
}
