/// Modified UTF-7, the IMAP4rev1 mailbox name encoding. RFC 3501 §5.1.3.
///
/// Printable US-ASCII except `&` stands for itself; `&` is `&-`; anything else is UTF-16BE
/// in modified base64 (`,` for `/`, no padding) between `&` and `-`.
/// ```
/// C: a1 CREATE "Entw&APw-rfe"          (Entwürfe)
/// C: a2 SELECT "~peter/mail/&U,BTFw-/&ZeVnLIqe-"   (~peter/mail/台北/日本語)
/// ```
public enum ModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)
    private static let values: [UInt8: UInt32] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt32($0)) })

    /// The name in modified UTF-7. RFC 3501 §5.1.3
    public static func encode(_ name: String) -> [UInt8] {
        var out: [UInt8] = []
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            out.append(UInt8(ascii: "&"))
            var bits: UInt32 = 0
            var count = 0
            for unit in pending {
                bits = bits << 16 | UInt32(unit)
                count += 16
                while count >= 6 {
                    count -= 6
                    out.append(alphabet[Int((bits >> UInt32(count)) & 0x3F)])
                }
            }
            if count > 0 { out.append(alphabet[Int((bits << UInt32(6 - count)) & 0x3F)]) }
            out.append(UInt8(ascii: "-"))
            pending = []
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20, scalar.value <= 0x7E {
                flush()
                out.append(UInt8(scalar.value))
                if scalar == "&" { out.append(UInt8(ascii: "-")) }  // "&" is "&-". RFC 3501 §5.1.3
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return out
    }

    /// The name decoded, or nil if it is not canonical modified UTF-7: 8-bit or control
    /// octets, an unterminated or empty shift, non-zero pad bits, a lone surrogate, or a
    /// shift encoding printable ASCII (which must stand for itself). RFC 3501 §5.1.3
    public static func decode(_ bytes: [UInt8]) -> String? {
        var out = ""
        var index = 0
        while index < bytes.count {
            let b = bytes[index]
            guard b >= 0x20, b <= 0x7E else { return nil }
            index += 1
            guard b == UInt8(ascii: "&") else {
                out.unicodeScalars.append(Unicode.Scalar(b))
                continue
            }
            guard let dash = bytes[index...].firstIndex(of: UInt8(ascii: "-")) else { return nil }
            if dash == index {
                out += "&"
                index += 1
                continue
            }
            var bits: UInt32 = 0
            var count = 0
            var units: [UInt16] = []
            for c in bytes[index..<dash] {
                guard let value = values[c] else { return nil }
                bits = (bits << 6 | value) & 0xFF_FFFF
                count += 6
                if count >= 16 {
                    count -= 16
                    units.append(UInt16((bits >> UInt32(count)) & 0xFFFF))
                }
            }
            guard count < 6, bits & ((1 << UInt32(count)) - 1) == 0 else { return nil }  // pad bits zero
            var decoded = ""
            for scalar in Unicode.UTF16.decode(units) {
                guard let scalar, !(0x20...0x7E).contains(scalar.value) else { return nil }
                decoded.unicodeScalars.append(scalar)
            }
            out += decoded
            index = dash + 1
            // Two shifts back to back would have been one. RFC 3501 §5.1.3
            if index < bytes.count, bytes[index] == UInt8(ascii: "&"), index + 1 < bytes.count, bytes[index + 1] != UInt8(ascii: "-") {
                return nil
            }
        }
        return out
    }
}

extension Unicode.UTF16 {
    /// The scalars of `units`, nil for each ill-formed sequence (a lone surrogate).
    static func decode(_ units: [UInt16]) -> [Unicode.Scalar?] {
        var iterator = units.makeIterator()
        var parser = Unicode.UTF16.ForwardParser()
        var out: [Unicode.Scalar?] = []
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): out.append(Unicode.UTF16.decode(encoded))
            case .error: out.append(nil)
            case .emptyInput: return out
            }
        }
    }
}
