/// The CAPA response: what this server offers now, one capability per line. RFC 2449 §5.
///
/// ```
/// C: CAPA
/// S: +OK Capability list follows
/// S: TOP
/// S: UIDL
/// S: RESP-CODES
/// S: AUTH-RESP-CODE
/// S: PIPELINING
/// S: STLS
/// S: IMPLEMENTATION Buzon
/// S: .
/// ```
/// The list depends on the connection: before TLS, with plaintext authentication
/// forbidden, USER and SASL PLAIN are left out and STLS is offered (RFC 2595 §4: the
/// client must discard the list after STLS and ask again). Plaintext authentication is
/// never offered where it would be refused.
public struct CapabilityList: Sendable, Hashable {
    /// The EXPIRE policy: how long the server keeps messages. RFC 2449 §6.7.
    public enum Expire: Sendable, Hashable {
        /// `EXPIRE NEVER`: messages stay until the client deletes them.
        case never
        /// `EXPIRE n`: messages may be removed `n` days after they were first retrieved.
        case days(Int)
    }

    /// Whether the connection is under TLS (implicit on 995, or after STLS).
    public var tlsActive: Bool
    /// Whether STLS can be offered (a certificate is configured).
    public var tlsAvailable: Bool
    /// Whether USER/PASS and SASL PLAIN are allowed on a connection without TLS.
    public var plaintextAuthAllowed: Bool
    /// SASL mechanisms, upper-case. RFC 5034 §3.
    public var saslMechanisms: [String]
    /// Free text naming the server. RFC 2449 §6.9.
    public var implementation: String?
    /// The retention policy, nil to announce none. RFC 2449 §6.7.
    public var expire: Expire?
    /// Seconds between logins the server enforces, nil if none. RFC 2449 §6.5.
    public var loginDelay: Int?

    public init(
        tlsActive: Bool,
        tlsAvailable: Bool = true,
        plaintextAuthAllowed: Bool = false,
        saslMechanisms: [String] = ["PLAIN"],
        implementation: String? = "Buzon",
        expire: Expire? = nil,
        loginDelay: Int? = nil
    ) {
        self.tlsActive = tlsActive
        self.tlsAvailable = tlsAvailable
        self.plaintextAuthAllowed = plaintextAuthAllowed
        self.saslMechanisms = saslMechanisms
        self.implementation = implementation
        self.expire = expire
        self.loginDelay = loginDelay
    }

    /// Whether USER/PASS and SASL may be used on this connection now.
    public var authenticationOffered: Bool { tlsActive || plaintextAuthAllowed }

    /// The capability lines, in the order sent.
    public var lines: [String] {
        var lines = ["TOP", "UIDL"]  // RFC 2449 §6.1, §6.8
        if authenticationOffered {
            lines.append("USER")  // RFC 2449 §6.2
            if !saslMechanisms.isEmpty { lines.append((["SASL"] + saslMechanisms).joined(separator: " ")) }  // RFC 5034 §3
        }
        lines += ["RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"]  // RFC 2449 §6.4, RFC 3206 §4, RFC 2449 §6.6
        if let loginDelay { lines.append("LOGIN-DELAY \(loginDelay)") }  // RFC 2449 §6.5
        switch expire {  // RFC 2449 §6.7
        case .never: lines.append("EXPIRE NEVER")
        case .days(let days): lines.append("EXPIRE \(days)")
        case nil: break
        }
        if tlsAvailable, !tlsActive { lines.append("STLS") }  // RFC 2595 §4: not after TLS is active
        if let implementation { lines.append("IMPLEMENTATION \(implementation)") }  // RFC 2449 §6.9
        return lines
    }

    /// The whole response: `+OK`, the lines and the terminator. RFC 2449 §5
    public var encoded: [UInt8] {
        POP3Response.capabilityListFollows.encoded + MultilineEncoder.encode(lines: lines)
    }

    /// The answer to `AUTH` alone: the mechanisms, one per line (what clients probing
    /// the RFC 1734 way expect); empty when authentication is not offered now.
    public var mechanismListEncoded: [UInt8] {
        POP3Response.ok().encoded + MultilineEncoder.encode(lines: authenticationOffered ? saslMechanisms : [])
    }
}
