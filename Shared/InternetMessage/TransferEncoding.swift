import LineFraming

/// Content-Transfer-Encoding decoders (RFC 2045 §6), tolerant of real-world damage.
///
/// Both decoders accept any input and never fail: what cannot be decoded is
/// skipped (base64) or passed through (quoted-printable), as RFC 2045 §6.7 and
/// §6.8 recommend for robust decoders.
public enum TransferEncoding {
    /// Decodes `bytes` per a Content-Transfer-Encoding value; 7bit, 8bit, binary
    /// and unknown encodings return the bytes unchanged (RFC 2045 §6.4).
    public static func decode(_ bytes: ArraySlice<UInt8>, encoding: String) -> [UInt8] {
        switch ByteScan.asciiLowercased(ByteScan.trimmed(encoding)) {
        case "base64": return decodeBase64(bytes)
        case "quoted-printable": return decodeQuotedPrintable(bytes)
        default: return Array(bytes)
        }
    }

    /// RFC 2045 §6.8: characters outside the alphabet (line breaks, junk) are
    /// ignored; `=` ends the current quantum, so padded chunks may be concatenated.
    public static func decodeBase64(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var quantum: UInt32 = 0
        var count = 0

        func flushPartial() {
            // 2 sextets carry 1 byte, 3 carry 2; a single sextet carries nothing.
            if count == 2 {
                output.append(UInt8((quantum >> 4) & 0xFF))
            } else if count == 3 {
                output.append(UInt8((quantum >> 10) & 0xFF))
                output.append(UInt8((quantum >> 2) & 0xFF))
            }
            quantum = 0
            count = 0
        }

        for byte in bytes {
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case 0x2B, 0x2D: value = 62  // '+' (and '-' from base64url)
            case 0x2F, 0x5F: value = 63  // '/' (and '_' from base64url)
            case 0x3D:
                flushPartial()
                continue
            default: continue
            }
            quantum = quantum << 6 | value
            count += 1
            if count == 4 {
                output.append(UInt8((quantum >> 16) & 0xFF))
                output.append(UInt8((quantum >> 8) & 0xFF))
                output.append(UInt8(quantum & 0xFF))
                quantum = 0
                count = 0
            }
        }
        flushPartial()
        return output
    }

    /// RFC 2045 §6.7: `=XX` is a byte (either case of hex accepted), `=` before a
    /// line break is a soft break, whitespace at the end of a line is transport
    /// padding and dropped, and a malformed `=` is kept literally.
    public static func decodeQuotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == 0x3D {
                if index + 2 < input.count,
                    let high = hexValue(input[index + 1]),
                    let low = hexValue(input[index + 2])
                {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                // Soft line break: "=" then optional padding then CRLF/LF or the end.
                var probe = index + 1
                while probe < input.count, ByteScan.isWSP(input[probe]) { probe += 1 }
                if probe == input.count {
                    index = probe
                    continue
                }
                if input[probe] == ByteClass.lf {
                    index = probe + 1
                    continue
                }
                if input[probe] == ByteClass.cr, probe + 1 < input.count, input[probe + 1] == ByteClass.lf {
                    index = probe + 2
                    continue
                }
                output.append(byte)
                index += 1
            } else if ByteScan.isWSP(byte) {
                // Trailing whitespace before a line break (or the end) is padding.
                var probe = index
                while probe < input.count, ByteScan.isWSP(input[probe]) { probe += 1 }
                let atLineEnd =
                    probe == input.count || input[probe] == ByteClass.lf
                    || (input[probe] == ByteClass.cr && probe + 1 < input.count && input[probe + 1] == ByteClass.lf)
                if !atLineEnd { output.append(contentsOf: input[index..<probe]) }
                index = probe
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
