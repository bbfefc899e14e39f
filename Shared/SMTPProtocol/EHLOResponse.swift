import LineFraming

/// The 250 reply to EHLO, RFC 5321 §4.1.1.1: the server's name, then one
/// extension per line. The server builds it; the client parses the server's.
///
/// ```
/// S: 250-mx.example.org greets client.example.net
/// S: 250-PIPELINING
/// S: 250-SIZE 26214400
/// S: 250 AUTH PLAIN LOGIN
/// ```
/// ```
/// ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
///             / ( "250-" Domain [ SP ehlo-greet ] CRLF
///                 *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
/// ```
public struct EHLOResponse: Sendable, Hashable {
    /// The server's name, first word of the first line.
    public var domain: String
    /// The rest of the first line.
    public var greeting: String?
    public var capabilities: [SMTPCapability]

    public init(domain: String, greeting: String? = nil, capabilities: [SMTPCapability]) {
        self.domain = domain
        self.greeting = greeting
        self.capabilities = capabilities
    }

    /// What our server announces: PIPELINING, SIZE, 8BITMIME, ENHANCEDSTATUSCODES,
    /// SMTPUTF8, CHUNKING, DSN; STARTTLS while the session is plaintext and TLS is
    /// configured (RFC 3207 §4.2: not after TLS); AUTH only when `authMechanisms`
    /// is non-empty (the caller passes none before TLS, RFC 4954 §4's advice).
    public static func server(
        domain: String, greeting: String? = nil, maxMessageSize: Int = SMTPDefaults.messageSize,
        offerStartTLS: Bool, authMechanisms: [String], dsn: Bool = true
    ) -> EHLOResponse {
        var capabilities: [SMTPCapability] = [
            .pipelining, .size(maxMessageSize), .eightBitMIME, .enhancedStatusCodes, .smtpUTF8, .chunking,
        ]
        if dsn { capabilities.append(.dsn) }
        if offerStartTLS { capabilities.append(.startTLS) }
        if !authMechanisms.isEmpty { capabilities.append(.auth(authMechanisms)) }
        return EHLOResponse(domain: domain, greeting: greeting, capabilities: capabilities)
    }

    /// The reply to send: `250-domain greeting`, then one line per capability.
    public var reply: SMTPReply {
        let first = greeting.map { "\(domain) \($0)" } ?? domain
        return SMTPReply(code: 250, lines: [first] + capabilities.map(\.description))
    }

    /// Reads a server's 250 reply to EHLO; nil if it is not one. Malformed
    /// keyword lines are skipped (they announce nothing we could use).
    public init?(reply: SMTPReply) {
        guard reply.code == 250, let first = reply.lines.first else { return nil }
        let words = first.split(separator: " ", maxSplits: 1).map(String.init)
        guard let domain = words.first else { return nil }
        self.domain = domain
        self.greeting = words.count > 1 ? words[1] : nil
        self.capabilities = reply.lines.dropFirst().compactMap { SMTPCapability(line: $0) }
    }

    /// Whether the server announced `keyword` (case-insensitive).
    public func supports(_ keyword: String) -> Bool {
        let wanted = ByteClass.upperString(keyword.utf8)
        return capabilities.contains { $0.keyword == wanted }
    }

    public func supports(_ capability: SMTPCapability) -> Bool { supports(capability.keyword) }

    /// The SIZE limit; nil when not announced or announced without a fixed limit (0). RFC 1870 §4.
    public var sizeLimit: Int? {
        for case .size(let limit?) in capabilities where limit > 0 { return limit }
        return nil
    }

    /// The SASL mechanisms of every AUTH line, upper-cased, in order, without repeats. RFC 4954 §3.
    public var authMechanisms: [String] {
        var seen: [String] = []
        for case .auth(let mechanisms) in capabilities {
            for mechanism in mechanisms where !seen.contains(mechanism) { seen.append(mechanism) }
        }
        return seen
    }
}
