/// A bounds-checked cursor over a whole message; every read either succeeds or
/// throws `.truncated`, so no input can trap the decoder.
struct DNSWireReader {
    let message: [UInt8]
    var position: Int

    init(_ message: [UInt8], position: Int = 0) {
        self.message = message
        self.position = position
    }

    var remaining: Int { message.count - position }

    /// Network byte order, most significant octet first. RFC 1035 §2.3.2
    mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated }
        defer { position += 2 }
        return UInt16(message[position]) << 8 | UInt16(message[position + 1])
    }

    mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        UInt32(try readUInt16()) << 16 | UInt32(try readUInt16())
    }

    mutating func readBytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated }
        defer { position += count }
        return Array(message[position..<(position + count)])
    }

    mutating func readName() throws(DNSWireError) -> DNSName {
        let (name, end) = try DNSName.decode(message, at: position)
        position = end
        return name
    }
}

extension [UInt8] {
    /// Appends in network byte order. RFC 1035 §2.3.2
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(value >> 16))
        appendUInt16(UInt16(value & 0xFFFF))
    }
}
