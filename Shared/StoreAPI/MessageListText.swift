/// The message listing as text, one message a line: what a gateway asks for when it lists a
/// whole mailbox (IMAP SELECT, `UID FETCH 1:* (FLAGS)` of 100,000 messages), where JSON costs
/// more to write and to read than the store spends finding the rows.
///
/// ```
/// 7 4096 1795717913.25 42 7 \Seen $Forwarded
/// ```
/// Fields: UID, size, internal date (seconds since 1970), MODSEQ, content id, then the flags
/// (atoms: no spaces). The `Buzon-Next-After` header carries `nextAfter` when more follow.
public enum MessageListText {
    public static let nextAfterHeader = "Buzon-Next-After"

    public static func encode(_ messages: [MessageSummary]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(messages.count * 48)
        for message in messages {
            var line = "\(message.uid) \(message.size) \(message.internalDate) \(message.modSeq) \(message.contentID)"
            for flag in message.flags { line += " " + flag }
            out += Array(line.utf8)
            out.append(0x0A)
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
