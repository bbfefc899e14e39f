extension DNSName {
    /// Reads a name at `offset` of a whole message, following compression pointers.
    /// Returns the name and the offset just past it in the record being read (past the
    /// first pointer, if any). RFC 1035 §4.1.4:
    ///
    /// ```
    /// label   = %x00-3F length, then that many octets; length 0 is the root, the end
    /// pointer = %xC0-FF %x00-FF: 14 bits of offset from the start of the message
    /// ```
    /// A pointer must point before the labels that lead to it (§4.1.4 "a prior
    /// occurrence"), so pointers cannot loop; `DNSDefaults.compressionPointers` caps
    /// them anyway, and the name is capped at `DNSDefaults.nameLength` octets.
    static func decode(_ message: [UInt8], at offset: Int) throws(DNSWireError) -> (name: DNSName, end: Int) {
        var labels: [[UInt8]] = []
        var position = offset
        var segmentStart = offset  // where the labels we are reading began
        var end: Int?
        var pointers = 0
        var length = 1  // the root's octet
        while true {
            guard position >= 0, position < message.count else { throw .truncated }
            let octet = Int(message[position])
            switch octet & 0xC0 {
            case 0x00:
                if octet == 0 { return (DNSName(checkedLabels: labels), end ?? position + 1) }
                guard position + 1 + octet <= message.count else { throw .truncated }
                length += 1 + octet
                guard length <= DNSDefaults.nameLength else { throw .nameTooLong }  // RFC 1035 §2.3.4
                labels.append(Array(message[(position + 1)..<(position + 1 + octet)]))
                position += 1 + octet
            case 0xC0:
                guard position + 1 < message.count else { throw .truncated }
                let target = (octet & 0x3F) << 8 | Int(message[position + 1])
                if end == nil { end = position + 2 }
                pointers += 1
                guard pointers <= DNSDefaults.compressionPointers else { throw .badPointer }
                guard target < segmentStart else { throw .badPointer }  // RFC 1035 §4.1.4: a prior occurrence
                segmentStart = target
                position = target
            default:
                throw .badLabelType  // RFC 6891 §5: 01 and 10 are retired label types
            }
        }
    }
}
