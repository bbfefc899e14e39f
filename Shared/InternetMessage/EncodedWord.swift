/// RFC 2047 encoded-words: `=?charset?encoding?encoded-text?=`.
///
/// ```
/// =?ISO-8859-1?Q?Andr=E9?= Pirard   ->  André Pirard
/// =?utf-8?B?w6k=?= =?utf-8?B?w6k=?= ->  éé
/// ```
/// Decoding is tolerant the way mail readers are: words are recognised even when
/// not delimited by whitespace, the RFC 2231 `*language` suffix is dropped, and
/// adjacent words in one charset are joined before charset conversion so a
/// character split across two words survives. Words with an unknown charset or
/// encoding are left exactly as written.
public enum EncodedWord {
    /// Returns `s` with every valid encoded-word decoded.
    public static func decode(_ s: String) -> String {
        let bytes = Array(s.utf8)
        guard bytes.count >= 8, containsMarker(bytes) else { return s }

        var output = ""
        var literalStart = 0
        var pending: (charset: String, bytes: [UInt8])?
        var index = 0

        func flushPending() {
            guard let word = pending else { return }
            output += Charset.decode(word.bytes, charset: word.charset) ?? Charset.decodeGuessing(word.bytes)
            pending = nil
        }

        while index + 1 < bytes.count {
            guard bytes[index] == 0x3D, bytes[index + 1] == 0x3F, let word = parseWord(bytes, at: index)
            else {
                index += 1
                continue
            }
            let between = bytes[literalStart..<index]
            // RFC 2047 §6.2: whitespace between two adjacent encoded-words is ignored.
            let onlySpace = between.allSatisfy(ByteScan.isWhitespace)
            if pending != nil && onlySpace {
                if let current = pending, Charset.normalize(current.charset) == Charset.normalize(word.charset) {
                    pending!.bytes += word.decoded
                } else {
                    flushPending()
                    pending = (word.charset, word.decoded)
                }
            } else {
                flushPending()
                output += String(decoding: between, as: UTF8.self)
                pending = (word.charset, word.decoded)
            }
            index = word.end
            literalStart = word.end
        }
        flushPending()
        output += String(decoding: bytes[literalStart...], as: UTF8.self)
        return output
    }

    private static func containsMarker(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x3D && bytes[index + 1] == 0x3F { return true }
            index += 1
        }
        return false
    }

    /// `encoded-word = "=?" charset "?" encoding "?" encoded-text "?="` (RFC 2047 §2).
    private static func parseWord(
        _ bytes: [UInt8], at start: Int
    ) -> (charset: String, decoded: [UInt8], end: Int)? {
        var index = start + 2
        let charsetStart = index
        while index < bytes.count, bytes[index] != 0x3F {
            // charset is a token: no whitespace, controls or the specials that end it.
            if bytes[index] <= 0x20 || bytes[index] == 0x7F || bytes[index] == 0x3D { return nil }
            index += 1
        }
        guard index < bytes.count, index > charsetStart else { return nil }
        var charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self)
        // RFC 2231 §5: "charset*language".
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
        guard !charset.isEmpty, Charset.isSupported(charset) else { return nil }

        index += 1
        guard index + 1 < bytes.count, bytes[index + 1] == 0x3F else { return nil }
        let encoding = bytes[index] | 0x20
        guard encoding == 0x62 || encoding == 0x71 else { return nil }  // b / q
        index += 2
        let textStart = index
        while index < bytes.count, bytes[index] != 0x3F {
            if bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                return nil
            }
            index += 1
        }
        guard index + 1 < bytes.count, bytes[index + 1] == 0x3D else { return nil }
        let text = bytes[textStart..<index]
        let decoded = encoding == 0x62 ? TransferEncoding.decodeBase64(text) : decodeQ(text)
        return (charset, decoded, index + 2)
    }

    /// RFC 2047 §4.2: like quoted-printable, but "_" is a space.
    private static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == 0x5F {
                output.append(0x20)
            } else if byte == 0x3D, index + 2 < text.endIndex,
                let high = TransferEncoding.hexValue(text[index + 1]),
                let low = TransferEncoding.hexValue(text[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
                continue
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
