/// One resource record of the answer, authority or additional section. RFC 1035 §4.1.3.
///
/// ```
/// NAME  a.test   TYPE MX   CLASS IN   TTL 3600   RDLENGTH 16   RDATA 10 mx1.a.test
/// ```
public struct DNSResourceRecord: Sendable, Hashable, CustomStringConvertible {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: DNSClass
    /// Seconds the record may be cached. RFC 1035 §3.2.1; RFC 2181 §8 caps it at 2^31 − 1.
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, type: DNSRecordType, recordClass: DNSClass = .internet, ttl: UInt32 = 0, data: DNSRecordData) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// A record whose type follows from its data.
    public init(name: DNSName, ttl: UInt32 = 0, data: DNSRecordData) {
        let type: DNSRecordType =
            switch data {
            case .a: .a
            case .aaaa: .aaaa
            case .mx: .mx
            case .cname: .cname
            case .other: DNSRecordType(rawValue: 0)
            }
        self.init(name: name, type: type, ttl: ttl, data: data)
    }

    public var description: String { "\(name) \(ttl) \(recordClass) \(type) \(data)" }

    /// NAME, TYPE, CLASS, TTL, RDLENGTH, RDATA. RFC 1035 §4.1.3
    func encode(into bytes: inout [UInt8]) {
        name.encode(into: &bytes)
        bytes.appendUInt16(type.rawValue)
        bytes.appendUInt16(recordClass.rawValue)
        bytes.appendUInt32(ttl)
        let rdata = data.encoded()
        bytes.appendUInt16(UInt16(truncatingIfNeeded: rdata.count))
        bytes.append(contentsOf: rdata)
    }

    static func decode(_ reader: inout DNSWireReader) throws(DNSWireError) -> DNSResourceRecord {
        let name = try reader.readName()
        let type = DNSRecordType(rawValue: try reader.readUInt16())
        let recordClass = DNSClass(rawValue: try reader.readUInt16())
        let ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        let data = try DNSRecordData.decode(&reader, type: type, length: length)
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    }
}
