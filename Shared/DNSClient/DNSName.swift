/// A domain name as a sequence of labels, without the root label. RFC 1035 §3.1.
///
/// ```
/// mx1.a.test  ⇄  03 'mx1' 01 'a' 04 'test' 00
/// ```
/// Names are compared ASCII-case-insensitively (RFC 4343 §3) and keep the case they
/// arrived in. Names we ask for are ASCII: a UTF-8 name is refused, the caller converts
/// it to A-labels (IDNA, RFC 5891 §5) or refuses the address. Names we read may hold
/// any octet; `description` escapes what is not printable (RFC 4343 §2.1).
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// The labels, most specific first; empty for the root.
    public private(set) var labels: [[UInt8]]

    /// The root name `.`, which RFC 7505 §3 uses as a null MX's exchange.
    public static let root = DNSName(checkedLabels: [])

    /// A name from its text form; one trailing dot is allowed (`a.test.`).
    /// Throws `.invalidName` for non-ASCII text, empty labels and over-long names.
    public init(_ text: String) throws(DNSError) {
        if text == "." {
            self = .root
            return
        }
        let bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0x80 }) {
            throw DNSError(.invalidName, "\(text) is not ASCII; convert it to A-labels first (IDNA, RFC 5891 §5)")
        }
        // Printable ASCII only: a space or control octet in a name we are asked to look
        // up is a caller's mistake, and `\` would mean master-file escapes we do not parse.
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) {
            throw DNSError(.invalidName, "\(text) contains a space, control character or backslash")
        }
        var body = bytes[...]
        if body.last == UInt8(ascii: ".") { body = body.dropLast() }
        let labels = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map(Array.init)
        guard !body.isEmpty, labels.allSatisfy({ !$0.isEmpty }) else {
            throw DNSError(.invalidName, "\(text) has an empty label")
        }
        guard labels.allSatisfy({ $0.count <= DNSDefaults.labelLength }) else {  // RFC 1035 §2.3.4
            throw DNSError(.invalidName, "\(text) has a label over \(DNSDefaults.labelLength) octets")
        }
        self.init(checkedLabels: labels)
        guard wireLength <= DNSDefaults.nameLength else {  // RFC 1035 §2.3.4
            throw DNSError(.invalidName, "\(text) is over \(DNSDefaults.nameLength) octets")
        }
    }

    /// Labels already known to be within the limits (the decoder checks them).
    init(checkedLabels labels: [[UInt8]]) { self.labels = labels }

    public var isRoot: Bool { labels.isEmpty }

    /// Octets on the wire without compression: a length octet per label, and the root.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// The text form: `mx1.a.test`, or `.` for the root. Octets outside printable ASCII,
    /// and `.` or `\` inside a label, are escaped as `\DDD` (RFC 1035 §5.1, RFC 4343 §2.1).
    public var description: String {
        if isRoot { return "." }
        return labels.map { label in
            var text = ""
            for byte in label {
                if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "."), byte != UInt8(ascii: "\\") {
                    text.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    let digits = String(byte)
                    text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                }
            }
            return text
        }.joined(separator: ".")
    }

    /// The name as a host name to connect to, or nil when it needs escaping in text
    /// (its labels hold dots, spaces or non-ASCII octets) and so cannot be one.
    public var hostName: String? {
        let text = description
        return text.contains("\\") || isRoot ? nil : text
    }

    /// Appends the uncompressed wire form. RFC 1035 §3.1
    public func encode(into bytes: inout [UInt8]) {
        for label in labels {
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)  // RFC 1035 §3.1: the root's null label ends every name
    }

    /// RFC 4343 §3: ASCII letters compare without regard to case; other octets exactly.
    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.count == rhs.labels.count
            && zip(lhs.labels, rhs.labels).allSatisfy { $0.count == $1.count && zip($0, $1).allSatisfy { lower($0) == lower($1) } }
    }

    public func hash(into hasher: inout Hasher) {
        for label in labels {
            hasher.combine(label.count)
            for byte in label { hasher.combine(Self.lower(byte)) }
        }
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
