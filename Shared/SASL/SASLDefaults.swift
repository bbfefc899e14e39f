/// SASL (RFC 4422) for the three mail protocols: PLAIN, LOGIN and SCRAM-SHA-256, and the
/// framing they share. Pure: values in, values out; no sockets.
///
/// Every limit of the module is named here with its reason.
public enum SASLDefaults {
    /// The longest authorization identity, authentication identity or password accepted, in
    /// octets. RFC 4616 §2 requires accepting 255; addresses run to 254 (RFC 5321 §4.5.3.1.3)
    /// and passphrases may be long, so four times that costs nothing, while an unbounded
    /// field would let one client make the server hold (and hash) whatever it sends.
    public static let maxFieldLength = 1_024

    /// The longest SCRAM message (client-first or client-final) accepted, in octets. Both
    /// carry a name and a nonce or a proof of a few dozen octets each (RFC 5802 §7); 4 KiB
    /// leaves room for extensions without letting a message grow without bound.
    public static let maxSCRAMMessageLength = 4 * 1_024

    /// The PBKDF2 iteration count new SCRAM-SHA-256 keys get. RFC 7677 §4: at least 4096.
    public static let scramIterations = 4_096

    /// The fewest iterations the server works with. RFC 7677 §4.
    public static let minimumSCRAMIterations = 4_096

    /// Random octets in a server nonce (base64: 24 characters). RFC 5802 §5.1 asks for a
    /// nonce that is unique and unpredictable; 18 octets is 144 bits.
    public static let serverNonceOctets = 18

    /// Octets of salt in new SCRAM keys. RFC 5802 §5.1: a random salt per user.
    public static let saltOctets = 16
}
