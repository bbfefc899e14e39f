import LineFraming

/// xtext, RFC 3461 §4: how ENVID, ORCPT and AUTH= carry arbitrary text in an
/// ESMTP parameter value.
///
/// ```
/// xtext = *( xchar / hexchar )
/// xchar = any ASCII CHAR between "!" (33) and "~" (126) inclusive,
///         except for "+" and "=".
/// hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
/// ```
/// `C: RCPT TO:<b@x> ORCPT=rfc822;a+2Bb@example.org` carries `a+b@example.org`.
public enum XText {
    /// The decoded bytes, or nil if `bytes` is not xtext. Lower-case hex digits are
    /// accepted (senders use them; nothing is ambiguous).
    public static func decode<C: Collection>(_ bytes: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let b = iterator.next() {
            if b == ByteClass.plus {
                // hexchar. RFC 3461 §4
                guard let high = iterator.next().flatMap(ByteClass.hexValue),
                    let low = iterator.next().flatMap(ByteClass.hexValue)
                else { return nil }
                out.append(high << 4 | low)
            } else if (33...126).contains(b), b != ByteClass.equals {
                out.append(b)  // xchar. RFC 3461 §4
            } else {
                return nil
            }
        }
        return out
    }

    /// The decoded text, or nil if it is not xtext or not UTF-8.
    public static func decode(_ string: String) -> String? {
        decode(Array(string.utf8)).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The bytes as xtext: "+", "=" and everything outside 33–126 as `+HH`. RFC 3461 §4.
    public static func encode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for b in bytes {
            if (33...126).contains(b), b != ByteClass.plus, b != ByteClass.equals {
                out.append(b)
            } else {
                out += [ByteClass.plus, hex[Int(b >> 4)], hex[Int(b & 0x0F)]]
            }
        }
        return out
    }

    public static func encode(_ string: String) -> String { String(decoding: encode(Array(string.utf8)), as: UTF8.self) }
}

extension XText {
    /// Decodes `utf-8-addr-unitext` (and its ASCII subset `utf-8-addr-xtext`), the
    /// ORCPT encoding for the `utf-8` address type. RFC 6533 §3:
    ///
    /// ```
    /// utf-8-addr-unitext  = 1*(QUCHAR / EmbeddedUnicodeChar)
    /// QUCHAR              = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e / UTF8-non-ascii
    /// EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"   ; \x{HEX}, 2–6 hex digits
    /// ```
    public static func decodeUnitext(_ string: String) -> String? {
        let bytes = Array(string.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b = bytes[index]
            if b == ByteClass.backslash {
                // EmbeddedUnicodeChar. RFC 6533 §3
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
                    index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "{"),
                    let close = bytes[(index + 3)...].firstIndex(of: UInt8(ascii: "}")),
                    (2...6).contains(close - index - 3),
                    let value = UInt32(String(decoding: bytes[(index + 3)..<close], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(value)
                else { return nil }
                out += Array(String(Character(scalar)).utf8)
                index = close + 1
                continue
            }
            // QUCHAR: no "+", "=", "\", SP or controls. RFC 6533 §3
            guard (0x21...0x7E).contains(b) && b != ByteClass.plus && b != ByteClass.equals || ByteClass.isNonASCII(b) else {
                return nil
            }
            out.append(b)
            index += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    /// Encodes as `utf-8-addr-unitext`: "+", "=", "\", SP and controls as `\x{HH}`,
    /// other characters as they are. RFC 6533 §3.
    public static func encodeUnitext(_ string: String) -> String {
        var out = ""
        for scalar in string.unicodeScalars {
            let v = scalar.value
            if v <= 0x20 || v == 0x2B || v == 0x3D || v == 0x5C || v == 0x7F {
                let hex = String(v, radix: 16, uppercase: true)
                out += "\\x{\(hex.count < 2 ? "0" + hex : hex)}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
