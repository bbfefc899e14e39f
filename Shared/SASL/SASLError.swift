/// Why a SASL exchange ended before, or instead of, a credential check. One enum for all
/// three protocols: each maps the `kind` to its own reply, so the same fault gets the same
/// class of answer everywhere (SMTP `501`/`535`, POP3 `-ERR`, IMAP `BAD`/`NO`).
public enum SASLError: Error, Sendable, Hashable {
    /// The client sent `*`. RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2.
    case cancelled
    /// Not base64 as RFC 4648 §4 defines it (with padding, no line breaks, no spaces).
    case malformedBase64
    /// Base64, but not what the mechanism expects (a NUL in the wrong place, a missing or
    /// empty field, a SCRAM attribute out of order, a non-empty answer to the server-final).
    case malformedMessage
    /// A field longer than `SASLDefaults.maxFieldLength` (or a SCRAM message longer than
    /// `SASLDefaults.maxSCRAMMessageLength`).
    case fieldTooLong
    /// A field that is not UTF-8. RFC 4616 §2 (`SAFE`), RFC 5802 §7 (`saslname`).
    case notUTF8
    /// An authorization identity other than the user's own. RFC 4616 §2, RFC 5802 §5.1.
    case authorizationMismatch
    /// SCRAM `p=`: the client wants channel binding, which is not offered (no -PLUS
    /// mechanism: swift-nio-ssl has no TLS keying-material exporter for RFC 9266). RFC 5802 §6.
    case channelBindingNotSupported
    /// SCRAM client-final `c=` is not the gs2 header of the client-first. RFC 5802 §6.
    case channelBindingMismatch
    /// SCRAM client-final `r=` is not the nonce of the server-first. RFC 5802 §5.1.
    case nonceMismatch

    /// The class of answer every protocol gives.
    public enum Kind: Sendable, Hashable {
        /// The client sent something unreadable: SMTP `501 5.5.2`, POP3 `-ERR`, IMAP `BAD`.
        case malformed
        /// The client gave up: SMTP `501 5.0.0`, POP3 `-ERR`, IMAP `BAD`.
        case cancelled
        /// Readable but refused, counted as a failed login: SMTP `535 5.7.8`,
        /// POP3 `-ERR [AUTH]`, IMAP `NO [AUTHENTICATIONFAILED]` / `[AUTHORIZATIONFAILED]`.
        case refused
    }

    public var kind: Kind {
        switch self {
        case .cancelled: .cancelled
        case .malformedBase64, .malformedMessage, .fieldTooLong, .notUTF8: .malformed
        case .authorizationMismatch, .channelBindingNotSupported, .channelBindingMismatch, .nonceMismatch: .refused
        }
    }
}
