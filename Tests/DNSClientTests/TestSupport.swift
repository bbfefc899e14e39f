import TestSupport

@testable import DNSClient

/// Octets from hex digits; spaces are for the reader (`"1234 8180"`).
func hex(_ digits: String) -> [UInt8] {
    let clean = Array(digits.filter { !$0.isWhitespace })
    return stride(from: 0, to: clean.count, by: 2).map { UInt8(String(clean[$0...$0 + 1]), radix: 16)! }
}

/// A name's labels with their length octets, ending in the root (`"a.test"` → 01 61 04 74 65 73 74 00).
func name(_ text: String) -> [UInt8] { labels(text) + [0] }

/// Labels without the root, to end in a compression pointer instead.
func labels(_ text: String) -> [UInt8] {
    text.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
}

/// A name from text that the test knows is valid.
func dns(_ text: String) -> DNSName {
    do { return try DNSName(text) } catch { fatalError("\(text): \(error)") }
}

/// The 12-octet header: ID 1234, the given flags and counts.
func header(flags: String = "8180", qd: Int = 1, an: Int = 0, ns: Int = 0, ar: Int = 0) -> [UInt8] {
    hex("1234" + flags) + [qd, an, ns, ar].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
}

/// A response to `question` with `answers`, as a recursive server sends it.
func response(
    _ question: DNSQuestion, rcode: DNSResponseCode = .noError, answers: [DNSResourceRecord] = [], truncated: Bool = false
) -> DNSMessage {
    DNSMessage(
        header: DNSHeader(id: 7, isResponse: true, isTruncated: truncated, recursionAvailable: true, responseCode: rcode),
        questions: [question], answers: answers)
}

func mx(_ owner: String, _ preference: UInt16, _ exchange: String) -> DNSResourceRecord {
    DNSResourceRecord(name: dns(owner), ttl: 300, data: .mx(preference: preference, exchange: dns(exchange)))
}

func cname(_ owner: String, _ target: String) -> DNSResourceRecord {
    DNSResourceRecord(name: dns(owner), ttl: 300, data: .cname(dns(target)))
}

func a(_ owner: String, _ octets: [UInt8]) -> DNSResourceRecord {
    DNSResourceRecord(name: dns(owner), ttl: 300, data: .a(octets))
}
