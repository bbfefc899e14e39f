/// Message ids as numbers given at delivery (the store's `message_id_numbers`, Schema
/// `v9-message-id-numbers`), so THREAD=REFERENCES (RFC 5256 §3) reads integers and interns no
/// text. Numbers are positive; octet-equal ids (as `ThreadInput` compares them, case-sensitive,
/// RFC 5256 §3 step 1.A) have one number.
///
/// A message's numbers are one blob of LEB128 varints: its Message-ID's (0 for none), its
/// In-Reply-To's (0 for none), then its References' in order.
///
/// ```
/// Message-ID 5, no In-Reply-To, References 3 200  ->  05 00 03 C8 01
/// ```
public enum MessageIDNumbers {
    public static func encode(messageID: Int64?, inReplyTo: Int64?, references: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(2 + 3 * references.count)
        append(messageID ?? 0, to: &out)
        append(inReplyTo ?? 0, to: &out)
        for number in references { append(number, to: &out) }
        return out
    }

    /// The blob's numbers (0 for none), nil when it is malformed.
    public static func decode(_ bytes: [UInt8]) -> (messageID: Int64, inReplyTo: Int64, references: [Int64])? {
        bytes.withUnsafeBytes { raw in
            var reader = Reader(raw)
            guard let messageID = reader.next(), let inReplyTo = reader.next() else { return nil }
            var references: [Int64] = []
            while !reader.atEnd {
                guard let number = reader.next() else { return nil }
                references.append(number)
            }
            return (messageID, inReplyTo, references)
        }
    }

    static func append(_ number: Int64, to out: inout [UInt8]) {
        var rest = UInt64(bitPattern: number)
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// Varints read one at a time from a blob.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { offset >= bytes.count }

        /// The next number, nil at the end or for a varint cut short or longer than 64 bits.
        mutating func next() -> Int64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int64(bitPattern: value) }
                shift += 7
            }
            return nil
        }
    }
}

/// Numbered ids (`MessageIDNumbers`) as THREAD's id numbers: a number below `direct` is its
/// own, so most are used with no lookup; larger ones (a store whose other accounts hold many
/// ids) get the numbers from `direct` on through a table, so `ReferencesThreader`'s arrays stay
/// proportional to the mailbox.
struct NumberedIDs: Sendable {
    var direct: Int64
    var others: [Int64: Int32] = [:]
    /// One more than the largest number given.
    var count = 0

    init(capacity: Int) {
        direct = Int64(8 * capacity + 65_536)
    }

    mutating func number(_ id: Int64) -> Int32 {
        let number: Int
        if id >= 0 && id < direct {
            number = Int(id)
        } else if let known = others[id] {
            return known
        } else {
            number = Int(direct) + others.count
            others[id] = Int32(number)
        }
        if number >= count { count = number + 1 }
        return Int32(number)
    }
}
