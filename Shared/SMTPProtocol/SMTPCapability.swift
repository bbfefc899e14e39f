import LineFraming

/// One EHLO keyword line, RFC 5321 §4.1.1.1: `ehlo-keyword *( SP ehlo-param )`.
///
/// ```
/// S: 250-SIZE 26214400
/// S: 250 AUTH PLAIN LOGIN
/// ```
public enum SMTPCapability: Sendable, Hashable, CustomStringConvertible {
    /// RFC 2920.
    case pipelining
    /// `SIZE [n]`: the largest message accepted; nil or 0 means no fixed limit. RFC 1870 §4.
    case size(Int?)
    /// RFC 6152.
    case eightBitMIME
    /// RFC 2034.
    case enhancedStatusCodes
    /// RFC 6531.
    case smtpUTF8
    /// BDAT. RFC 3030 §2.
    case chunking
    /// RFC 3030 §3.
    case binaryMIME
    /// RFC 3207.
    case startTLS
    /// `AUTH mech…`, mechanisms upper-cased. RFC 4954 §3.
    case auth([String])
    /// RFC 3461 §4.
    case dsn
    /// Any other keyword (upper-cased) and its parameters.
    case other(String, [String])

    /// The line as announced, without code.
    public var description: String {
        switch self {
        case .pipelining: "PIPELINING"
        case .size(let limit): limit.map { "SIZE \($0)" } ?? "SIZE"
        case .eightBitMIME: "8BITMIME"
        case .enhancedStatusCodes: "ENHANCEDSTATUSCODES"
        case .smtpUTF8: "SMTPUTF8"
        case .chunking: "CHUNKING"
        case .binaryMIME: "BINARYMIME"
        case .startTLS: "STARTTLS"
        case .auth(let mechanisms): (["AUTH"] + mechanisms).joined(separator: " ")
        case .dsn: "DSN"
        case .other(let keyword, let parameters): ([keyword] + parameters).joined(separator: " ")
        }
    }

    /// The keyword, upper-case.
    public var keyword: String { String(description.split(separator: " ", maxSplits: 1).first ?? "") }

    /// Parses one EHLO line; nil if the keyword is malformed.
    /// `ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`. RFC 5321 §4.1.1.1
    /// Also reads the pre-standard `AUTH=PLAIN LOGIN` some servers still send.
    public init?(line: String) {
        var words = line.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        var keyword = ByteClass.upperString(words.removeFirst().utf8)
        if keyword.hasPrefix("AUTH=") {
            words.insert(String(keyword.dropFirst(5)), at: 0)
            keyword = "AUTH"
        }
        guard let first = keyword.utf8.first, ByteClass.isLetDig(first),
            keyword.utf8.allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.hyphen })
        else { return nil }
        switch keyword {
        case "PIPELINING": self = .pipelining
        case "SIZE": self = .size(words.first.flatMap { ByteClass.decimal($0.utf8, maxDigits: 18) })
        case "8BITMIME": self = .eightBitMIME
        case "ENHANCEDSTATUSCODES": self = .enhancedStatusCodes
        case "SMTPUTF8": self = .smtpUTF8
        case "CHUNKING": self = .chunking
        case "BINARYMIME": self = .binaryMIME
        case "STARTTLS": self = .startTLS
        case "AUTH": self = .auth(words.filter { !$0.isEmpty }.map { ByteClass.upperString($0.utf8) })
        case "DSN": self = .dsn
        default: self = .other(keyword, words)
        }
    }
}
