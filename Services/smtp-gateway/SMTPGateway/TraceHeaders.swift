import Foundation

/// The header fields the gateway adds to a message it accepts.
///
/// `Received` always (RFC 5321 §4.4: every SMTP server prepends one); on submission also
/// `Message-ID` and `Date` when the client left them out (RFC 6409 §8.1, §8.3).
struct TraceHeaders {
    var hostname: String
    var clientName: String
    var clientAddress: String
    /// RFC 3848 keyword: ESMTP, ESMTPS, ESMTPA, ESMTPSA, UTF8SMTP…
    var protocolName: String
    var queueID: String
    /// Named only when the message has one recipient (RFC 5321 §7.2: do not disclose Bcc).
    var recipient: String?
    var date: Date

    func received() -> [UInt8] {
        var text = "Received: from \(Self.clean(clientName)) ([\(clientAddress)])\r\n"
        // ASCII only: a header of a message that is not SMTPUTF8 must be (RFC 5322 §2.2).
        text += "\tby \(hostname) (Buzon) with \(protocolName) id \(queueID)"
        if let recipient { text += "\r\n\tfor <\(Self.clean(recipient))>" }
        text += "; \(Self.rfc5322Date(date))\r\n"
        return Array(text.utf8)
    }

    func missingSubmissionFields(in message: [UInt8]) -> [UInt8] {
        let names = Self.headerFieldNames(message)
        var text = ""
        if !names.contains("message-id") { text += "Message-ID: <\(UUID().uuidString.lowercased())@\(hostname)>\r\n" }
        if !names.contains("date") { text += "Date: \(Self.rfc5322Date(date))\r\n" }
        return Array(text.utf8)
    }

    /// Lower-cased names of the top-level header fields (up to the first empty line).
    static func headerFieldNames(_ message: [UInt8]) -> Set<String> {
        var names: Set<String> = []
        var lineStart = 0
        var i = 0
        while i <= message.count {
            if i == message.count || message[i] == UInt8(ascii: "\n") {
                var line = message[lineStart..<i]
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                if line.isEmpty { break }
                if let colon = line.firstIndex(of: UInt8(ascii: ":")), line.first != UInt8(ascii: " "), line.first != UInt8(ascii: "\t") {
                    names.insert(
                        String(decoding: message[lineStart..<colon], as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased())
                }
                lineStart = i + 1
            }
            i += 1
        }
        return names
    }

    /// RFC 5322 §3.3 date-time, always in English and UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// What a client said about itself is kept out of the header's structure.
    static func clean(_ s: String) -> String {
        String(
            s.unicodeScalars.filter { $0.value > 0x20 && $0 != "(" && $0 != ")" && $0 != ";" && $0.value != 0x7f }.prefix(255).map(
                Character.init))
    }
}
