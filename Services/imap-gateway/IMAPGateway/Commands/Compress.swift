import IMAPProtocol

/// COMPRESS: authenticated and selected states. RFC 4978 §3
///
/// ```
/// C: a COMPRESS DEFLATE
/// S: a OK DEFLATE active
/// ```
/// The tagged OK is the connection's to send (`SessionDirective.compress`): everything after
/// its CRLF is raw deflate in both directions, inside TLS when TLS is on.
extension IMAPSession {
    func compress(tag: String, _ mechanism: String) -> Completion {
        // RFC 4978 §3: only DEFLATE is defined; an unknown mechanism is a client error.
        guard mechanism == "DEFLATE" else { return .bad("Unknown compression mechanism") }
        // RFC 4978 §3: a second COMPRESS is refused with COMPRESSIONACTIVE.
        guard !compressionActive else { return .no("DEFLATE is already active", .compressionActive) }
        compressionActive = true
        var done = Completion(status: nil, code: nil, text: "")
        done.announce = false
        done.directive = .compress(tag: tag)
        return done
    }
}
