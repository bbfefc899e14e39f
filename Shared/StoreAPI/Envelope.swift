import Foundation

/// The SMTP envelope of a message handed to the store (`POST /v1/deliveries` with the
/// `Buzon-Envelope` header): who sent it, to whom, whether remote recipients may be queued for
/// relay, and the DSN parameters (RFC 3461) the relay must honour.
///
/// It travels as base64 of its JSON in one header so that the body stays the raw message and
/// UTF-8 addresses (RFC 6531) survive any HTTP stack.
public struct DeliveryEnvelope: Codable, Sendable, Hashable {
    /// The reverse-path; empty for the null sender `<>` (bounces).
    public var sender: String
    public var recipients: [EnvelopeRecipient]
    /// Remote recipients are queued only when true (an authenticated submission); otherwise they
    /// answer `not-local`. The MX port never sets it: Buzón is not an open relay.
    public var relay: Bool
    /// RFC 3461 §4.3 RET: `FULL` or `HDRS`.
    public var ret: String?
    /// RFC 3461 §4.4 ENVID, decoded from xtext.
    public var envid: String?
    /// RFC 6531: the message needs SMTPUTF8 from the next hop.
    public var smtputf8: Bool?
    /// RFC 6152 / 3030 BODY: `7BIT`, `8BITMIME` or `BINARYMIME`.
    public var body: String?
    /// How many bytes at the start of the message the gateway added (its `Received`, on
    /// submission a `Message-ID` or `Date` it filled in); the rest is what the client sent.
    /// The store recognises a client's resend by that rest (`ResendDigest`).
    public var traceLength: Int?

    public static let headerName = "Buzon-Envelope"
    /// An envelope header is at most this long (100 recipients with DSN parameters fit easily).
    public static let maxHeaderLength = 256 * 1024

    public init(
        sender: String, recipients: [EnvelopeRecipient], relay: Bool, ret: String? = nil, envid: String? = nil,
        smtputf8: Bool? = nil, body: String? = nil, traceLength: Int? = nil
    ) {
        self.sender = sender
        self.recipients = recipients
        self.relay = relay
        self.ret = ret
        self.envid = envid
        self.smtputf8 = smtputf8
        self.body = body
        self.traceLength = traceLength
    }

    public func headerValue() throws -> String {
        try JSONEncoder().encode(self).base64EncodedString()
    }

    public init?(headerValue: String) {
        guard headerValue.utf8.count <= Self.maxHeaderLength,
            let data = Data(base64Encoded: headerValue),
            let envelope = try? JSONDecoder().decode(DeliveryEnvelope.self, from: data)
        else { return nil }
        self = envelope
    }
}

public struct EnvelopeRecipient: Codable, Sendable, Hashable {
    public var address: String
    /// RFC 3461 §4.1 NOTIFY: `NEVER`, or some of `SUCCESS`, `FAILURE`, `DELAY`.
    public var notify: [String]?
    /// RFC 3461 §4.2 ORCPT as `addr-type;address` (decoded).
    public var orcpt: String?

    public init(address: String, notify: [String]? = nil, orcpt: String? = nil) {
        self.address = address
        self.notify = notify
        self.orcpt = orcpt
    }
}
