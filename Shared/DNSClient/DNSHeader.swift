/// The fixed 12-octet header of every message, without the section counts (the
/// message derives those from its sections). RFC 1035 §4.1.1:
///
/// ```
///   0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
/// |                      ID                       |
/// |QR|   Opcode  |AA|TC|RD|RA|   Z    |   RCODE   |
/// |          QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT   |
/// ```
public struct DNSHeader: Sendable, Hashable {
    /// Chosen at random by the asker and copied into the response. RFC 5452 §9.2.
    public var id: UInt16
    /// QR: a response rather than a query.
    public var isResponse: Bool
    /// 0 is a standard query (QUERY), the only kind we send.
    public var opcode: UInt8
    /// AA: the answer comes from an authority for the name.
    public var isAuthoritative: Bool
    /// TC: the message was cut to fit UDP; ask again over TCP. RFC 1035 §4.2.1, RFC 7766 §5.
    public var isTruncated: Bool
    /// RD: we ask the server to recurse for us, as a stub resolver does. RFC 1034 §5.3.1.
    public var recursionDesired: Bool
    /// RA: the server offers recursion.
    public var recursionAvailable: Bool
    public var responseCode: DNSResponseCode

    public init(
        id: UInt16, isResponse: Bool = false, opcode: UInt8 = 0, isAuthoritative: Bool = false, isTruncated: Bool = false,
        recursionDesired: Bool = true, recursionAvailable: Bool = false, responseCode: DNSResponseCode = .noError
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode & 0x0F
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.responseCode = responseCode
    }

    /// The second 16 bits: QR, Opcode, AA, TC, RD, RA, Z (zero), RCODE. RFC 1035 §4.1.1
    var flags: UInt16 {
        var flags = UInt16(opcode & 0x0F) << 11 | UInt16(responseCode.rawValue)
        if isResponse { flags |= 0x8000 }
        if isAuthoritative { flags |= 0x0400 }
        if isTruncated { flags |= 0x0200 }
        if recursionDesired { flags |= 0x0100 }
        if recursionAvailable { flags |= 0x0080 }
        return flags
    }

    init(id: UInt16, flags: UInt16) {
        self.init(
            id: id, isResponse: flags & 0x8000 != 0, opcode: UInt8(flags >> 11 & 0x0F), isAuthoritative: flags & 0x0400 != 0,
            isTruncated: flags & 0x0200 != 0, recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
            responseCode: DNSResponseCode(rawValue: UInt8(flags & 0x0F)))
    }
}
