/// Why bytes are not a DNS message (RFC 1035 §4.1). Decoding never traps: every
/// read is bounds-checked and every failure is one of these.
public enum DNSWireError: Error, Sendable, Hashable {
    /// The message ends inside a header, name, question or record.
    case truncated
    /// A label length octet with the reserved high bits `01` or `10`
    /// (RFC 1035 §4.1.4; RFC 6891 §5 retired the extended label types).
    case badLabelType
    /// A compression pointer that is not to a prior occurrence, points outside the
    /// message, or one of more than `DNSDefaults.compressionPointers` in one name.
    case badPointer
    /// A name longer than `DNSDefaults.nameLength` octets. RFC 1035 §2.3.4.
    case nameTooLong
    /// A record whose RDLENGTH does not fit its type (an A record that is not 4
    /// octets, an MX whose name ends before or after RDLENGTH). RFC 1035 §3.3.
    case badRecordLength
}
