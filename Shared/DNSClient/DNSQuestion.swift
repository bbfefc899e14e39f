/// One entry of the question section: what is asked. RFC 1035 §4.1.2.
///
/// ```
/// QNAME  a.test   QTYPE  MX (15)   QCLASS  IN (1)
/// ```
public struct DNSQuestion: Sendable, Hashable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: DNSClass

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    public var description: String { "\(name) \(recordClass) \(type)" }

    /// QNAME, QTYPE, QCLASS. RFC 1035 §4.1.2
    func encode(into bytes: inout [UInt8]) {
        name.encode(into: &bytes)
        bytes.appendUInt16(type.rawValue)
        bytes.appendUInt16(recordClass.rawValue)
    }

    static func decode(_ reader: inout DNSWireReader) throws(DNSWireError) -> DNSQuestion {
        let name = try reader.readName()
        let type = try reader.readUInt16()
        let recordClass = try reader.readUInt16()
        return DNSQuestion(name: name, type: DNSRecordType(rawValue: type), recordClass: DNSClass(rawValue: recordClass))
    }
}
