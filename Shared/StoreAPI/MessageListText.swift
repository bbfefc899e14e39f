import LineFraming

/// The message listing as text, one message a line: what a gateway asks for when it lists a
/// whole mailbox (IMAP SELECT, `UID FETCH 1:* (FLAGS)` of 100,000 messages), where JSON costs
/// more to write and to read than the store spends finding the rows.
///
/// ```
/// 7 4096 1795717913 42 7 \Seen $Forwarded
/// ```
/// Fields: UID, size, internal date (whole seconds since 1970), MODSEQ, content id, then the flags
/// (atoms: no spaces). The `Buzon-Next-After` header carries `nextAfter` when more follow.
public enum MessageListText {
    public static let nextAfterHeader = "Buzon-Next-After"

    /// One message's line, newline included; `flags` as `encodedFlags` gives them (a listing
    /// encodes each distinct flag set once).
    public static func appendLine(
        to out: inout [UInt8], uid: UInt32, size: Int, internalDate: Double, modSeq: UInt64, contentID: Int64, flags: [UInt8]
    ) {
        out.appendDecimal(UInt64(uid))
        out.append(0x20)
        if let size = UInt64(exactly: size) { out.appendDecimal(size) } else { out += Array(String(size).utf8) }
        out.append(0x20)
        // Whole seconds: INTERNALDATE's resolution (RFC 9051 §2.3.3), and what a gateway
        // reads it for; a delivery's fraction of a second would cost a float's formatting.
        let seconds = internalDate.isFinite ? internalDate.rounded(.down) : 0
        if seconds >= 0, seconds < 1e15 {
            out.appendDecimal(UInt64(seconds))
        } else {
            out += Array(String(Int64(max(-1e15, min(seconds, 1e15)))).utf8)
        }
        out.append(0x20)
        out.appendDecimal(modSeq)
        out.append(0x20)
        if let content = UInt64(exactly: contentID) { out.appendDecimal(content) } else { out += Array(String(contentID).utf8) }
        out += flags
        out.append(0x0A)
    }

    /// A line's flags: a space before each.
    public static func encodedFlags(_ flags: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for flag in flags {
            out.append(0x20)
            out += Array(flag.utf8)
        }
        return out
    }

    /// nil when a line is not in the format.
    public static func decode(_ bytes: [UInt8]) -> [MessageSummary]? {
        var messages: [MessageSummary] = []
        for line in bytes.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20)
            guard fields.count >= 5,
                let uid = UInt32(decimalDigits: fields[0]), let size = Int(decimalDigits: fields[1]),
                let date = Double(decimalText: fields[2]),
                let modSeq = UInt64(decimalDigits: fields[3]), let content = Int64(decimalDigits: fields[4])
            else { return nil }
            messages.append(
                MessageSummary(
                    uid: uid, size: size, flags: fields.dropFirst(5).map { String(decoding: $0, as: UTF8.self) },
                    internalDate: date, modSeq: modSeq, contentID: content))
        }
        return messages
    }
}
