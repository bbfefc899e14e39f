/// Base64 as SASL carries it in SMTP, POP3 and IMAP: RFC 4648 §4, padded, no line breaks
/// and no white space (RFC 4954 §4, RFC 5034 §4, RFC 9051 §6.2.2). Strict: anything else,
/// and encodings with non-zero pad bits (RFC 4648 §3.5), are refused rather than guessed at.
public enum SASLBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let b0 = input[index]
            let b1 = index + 1 < input.count ? input[index + 1] : 0
            let b2 = index + 2 < input.count ? input[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < input.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < input.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func encode(_ text: String) -> String { encode(Array(text.utf8)) }

    /// The decoded octets, or nil when `text` is not canonical padded base64.
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let last = index + 4 == input.count
            let quad = input[index..<index + 4]
            let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding == 0 || (last && padding <= 2) else { return nil }
            var sextets: [UInt8] = []
            for byte in quad.prefix(4 - padding) {
                let value = values[Int(byte)]
                guard value != 0xFF else { return nil }
                sextets.append(value)
            }
            out.append(sextets[0] << 2 | sextets[1] >> 4)
            switch padding {
            case 0:
                out.append(sextets[1] << 4 | sextets[2] >> 2)
                out.append(sextets[2] << 6 | sextets[3])
            case 1:
                guard sextets[2] & 0x03 == 0 else { return nil }  // RFC 4648 §3.5: pad bits zero
                out.append(sextets[1] << 4 | sextets[2] >> 2)
            default:
                guard sextets[1] & 0x0F == 0 else { return nil }
            }
            index += 4
        }
        return out
    }
}
