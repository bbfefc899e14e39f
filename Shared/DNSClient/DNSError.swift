/// Why a lookup failed, in the two classes the relay acts on (RFC 5321 §4.2.5, §5.1):
/// a temporary failure defers the message, a permanent one bounces it. `detail` is for
/// the log and the DSN's diagnostic text.
public struct DNSError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No answer within the timeout on any try. Temporary.
        case timeout
        /// The server answered SERVFAIL, FORMERR, NOTIMP or another failure RCODE
        /// (RFC 1035 §4.1.1). Temporary: the server or its upstream may recover.
        case serverFailure
        /// The server answered REFUSED (RFC 1035 §4.1.1). Temporary: usually our
        /// configuration, which an operator can fix without losing mail.
        case refused
        /// The socket failed: unreachable, connection refused or reset. Temporary.
        case network
        /// The answer could not be read, or did not fit the question (a CNAME loop
        /// or a chain beyond `DNSDefaults.cnameChainLength`). Temporary, like every
        /// failure we cannot classify (Postfix's rule: unknown counts as temporary).
        case malformedResponse
        /// NXDOMAIN: the name does not exist (RFC 1035 §4.1.1, RFC 8020). Permanent.
        case noSuchDomain
        /// The name cannot be asked: not ASCII (an IDNA U-label must be converted to
        /// an A-label first, RFC 5891 §5), an empty label, or over the lengths of
        /// RFC 1035 §2.3.4. Permanent.
        case invalidName
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    /// Whether retrying later may succeed: the relay defers instead of bouncing.
    public var isTemporary: Bool {
        switch kind {
        case .timeout, .serverFailure, .refused, .network, .malformedResponse: true
        case .noSuchDomain, .invalidName: false
        }
    }

    /// Whether the failure is final for this name: the relay bounces.
    public var isPermanent: Bool { !isTemporary }

    public var description: String { "DNS \(isTemporary ? "temporary" : "permanent") failure: \(detail)" }
}
