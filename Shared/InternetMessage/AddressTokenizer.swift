/// Lexical tokens of RFC 5322 §3.2 for address parsing.
///
/// Comments are kept as tokens (their text may serve as a display name), quoted
/// strings keep both their raw and unescaped forms, and unterminated quotes,
/// comments or domain literals run to the end instead of failing.
struct AddressToken {
    enum Kind: Equatable {
        case atom
        case quoted
        case domainLiteral
        case comment
        case special(UInt8)  // < > @ , ; : .
    }

    var kind: Kind
    /// As written (quotes and brackets included).
    var raw: String
    /// The meaning: unescaped text for quoted strings and comments, else `raw`.
    var text: String
    /// Whether whitespace or a comment preceded the token.
    var spaced: Bool
}

enum AddressTokenizer {
    static func tokenize(_ s: String) -> [AddressToken] {
        let bytes = Array(s.utf8)
        var tokens: [AddressToken] = []
        var index = 0
        var spaced = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A:
                spaced = true
                index += 1
            case 0x28:  // RFC 5322 §3.2.2 comment, nested
                let (text, end) = scanComment(bytes, from: index)
                tokens.append(AddressToken(kind: .comment, raw: text, text: text, spaced: spaced))
                spaced = true
                index = end
            case 0x22:  // RFC 5322 §3.2.4 quoted-string
                let start = index
                var content: [UInt8] = []
                index += 1
                while index < bytes.count, bytes[index] != 0x22 {
                    if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }  // quoted-pair
                    if bytes[index] != 0x0D && bytes[index] != 0x0A { content.append(bytes[index]) }
                    index += 1
                }
                index = min(index + 1, bytes.count)
                tokens.append(
                    AddressToken(
                        kind: .quoted, raw: String(decoding: bytes[start..<index], as: UTF8.self),
                        text: String(decoding: content, as: UTF8.self), spaced: spaced))
                spaced = false
            case 0x5B:  // RFC 5322 §3.4.1 domain-literal
                let start = index
                while index < bytes.count, bytes[index] != 0x5D {
                    index += bytes[index] == 0x5C ? 2 : 1
                }
                index = min(index + 1, bytes.count)
                let raw = String(decoding: bytes[start..<index].filter { !ByteScan.isWhitespace($0) }, as: UTF8.self)
                tokens.append(AddressToken(kind: .domainLiteral, raw: raw, text: raw, spaced: spaced))
                spaced = false
            case 0x3C, 0x3E, 0x40, 0x2C, 0x3B, 0x3A, 0x2E:
                let raw = String(decoding: [byte], as: UTF8.self)
                tokens.append(AddressToken(kind: .special(byte), raw: raw, text: raw, spaced: spaced))
                spaced = false
                index += 1
            default:
                let start = index
                while index < bytes.count, isAtomByte(bytes[index]) { index += 1 }
                let raw = String(decoding: bytes[start..<index], as: UTF8.self)
                tokens.append(AddressToken(kind: .atom, raw: raw, text: raw, spaced: spaced))
                spaced = false
            }
        }
        return tokens
    }

    /// Anything that does not start another token (8-bit bytes included, RFC 6532).
    private static func isAtomByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0D, 0x0A, 0x28, 0x22, 0x5B, 0x3C, 0x3E, 0x40, 0x2C, 0x3B, 0x3A, 0x2E: return false
        default: return true
        }
    }

    /// The comment's text (nesting and quoted-pairs resolved, whitespace runs
    /// collapsed) and the index after its closing parenthesis.
    private static func scanComment(_ bytes: [UInt8], from start: Int) -> (String, Int) {
        var depth = 0
        var index = start
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x5C, index + 1 < bytes.count {
                content.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == 0x28 {
                depth += 1
                if depth > 1 { content.append(byte) }
            } else if byte == 0x29 {
                depth -= 1
                if depth == 0 { return (collapse(content), index + 1) }
                content.append(byte)
            } else {
                content.append(byte)
            }
            index += 1
        }
        return (collapse(content), index)
    }

    private static func collapse(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var pendingSpace = false
        for byte in bytes {
            if ByteScan.isWhitespace(byte) {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
