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
