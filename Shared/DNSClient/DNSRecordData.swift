/// The RDATA of a record, read for the types mail needs. RFC 1035 §3.3, RFC 3596 §2.2.
///
/// ```
/// A      4 octets                            RFC 1035 §3.4.1
/// AAAA   16 octets                           RFC 3596 §2.2
/// MX     PREFERENCE (16 bits) EXCHANGE name  RFC 1035 §3.3.9
/// CNAME  name                                RFC 1035 §3.3.1
/// ```
/// Other types keep their RDATA as received; names inside them may be compression
/// pointers into the original message, so `.other` is for inspection, not re-encoding.
public enum DNSRecordData: Sendable, Hashable {
    case a([UInt8])
    case aaaa([UInt8])
    case mx(preference: UInt16, exchange: DNSName)
    case cname(DNSName)
    case other([UInt8])

    /// The address as text (`192.0.2.1`, `2001:db8::1`), for A and AAAA.
    public var addressText: String? {
        switch self {
        case .a(let octets): IPAddressText.format(octets)
        case .aaaa(let octets): IPAddressText.format(octets)
        default: nil
        }
    }

    /// Reads `length` octets of RDATA for `type` at the reader's position. A name must
    /// end exactly at the end of RDATA (RFC 1035 §3.3: RDLENGTH is the whole RDATA).
    static func decode(_ reader: inout DNSWireReader, type: DNSRecordType, length: Int) throws(DNSWireError) -> DNSRecordData {
        guard reader.remaining >= length else { throw .truncated }
        let end = reader.position + length
        let data: DNSRecordData
        switch type {
        case .a:
            guard length == 4 else { throw .badRecordLength }  // RFC 1035 §3.4.1
            data = .a(try reader.readBytes(4))
        case .aaaa:
            guard length == 16 else { throw .badRecordLength }  // RFC 3596 §2.2
            data = .aaaa(try reader.readBytes(16))
        case .mx:
            guard length >= 3 else { throw .badRecordLength }  // preference and at least the root
            let preference = try reader.readUInt16()
            data = .mx(preference: preference, exchange: try reader.readName())
        case .cname:
            data = .cname(try reader.readName())
        default:
            data = .other(try reader.readBytes(length))
        }
        guard reader.position == end else { throw .badRecordLength }
        return data
    }

    /// The RDATA octets, names uncompressed. RFC 1035 §3.3
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        switch self {
        case .a(let octets), .aaaa(let octets), .other(let octets):
            bytes = octets
        case .mx(let preference, let exchange):
            bytes.appendUInt16(preference)
            exchange.encode(into: &bytes)
        case .cname(let name):
            name.encode(into: &bytes)
        }
        return bytes
    }
}
