import Foundation

/// SASLprep (RFC 4013), the `Normalize` of RFC 5802 §2.2, applied to passwords before
/// SCRAM hashes them, as clients do (Python's scramp, Dovecot, …). A printable-ASCII password
/// — nearly all of them — is its own SASLprep and takes the fast path.
///
/// Done here: the mapping (RFC 4013 §2.1: non-ASCII spaces to SPACE, "commonly mapped to
/// nothing" removed), NFKC (§2.2) and the prohibited characters (§2.3). Not done: the
/// bidirectional check of §2.5, which only refuses more strings; a password it would refuse
/// still gets keys, and a client that applies it cannot use such a password anyway.
public enum SASLprep {
    /// The prepared string, or nil when it holds a prohibited character.
    public static func prepare(_ text: String) -> String? {
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) { return text }
        var mapped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if nonASCIISpace(scalar.value) {
                mapped.append(" ")  // RFC 4013 §2.1, RFC 3454 C.1.2
            } else if !mappedToNothing(scalar.value) {
                mapped.append(scalar)  // RFC 3454 B.1 removed
            }
        }
        let normalized = String(mapped).precomposedStringWithCompatibilityMapping  // NFKC, RFC 4013 §2.2
        guard !normalized.unicodeScalars.contains(where: { prohibited($0.value) }) else { return nil }
        return normalized
    }

    /// RFC 3454 C.1.2.
    static func nonASCIISpace(_ v: UInt32) -> Bool {
        v == 0xA0 || v == 0x1680 || (0x2000...0x200B).contains(v) || v == 0x202F || v == 0x205F || v == 0x3000
    }

    /// RFC 3454 B.1.
    static func mappedToNothing(_ v: UInt32) -> Bool {
        [0xAD, 0x34F, 0x1806, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF].contains(v)
            || (0x180B...0x180D).contains(v) || (0xFE00...0xFE0F).contains(v)
    }

    /// RFC 4013 §2.3: RFC 3454 C.1.2, C.2.1, C.2.2, C.3–C.9.
    static func prohibited(_ v: UInt32) -> Bool {
        nonASCIISpace(v)
            || v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v)  // C.2.1, C.2.2 (controls)
            || [0x6DD, 0x70F, 0x180E, 0x200C, 0x200D, 0x2028, 0x2029, 0xFEFF].contains(v)  // C.2.2
            || (0x2060...0x2063).contains(v) || (0x206A...0x206F).contains(v) || (0xFFF9...0xFFFC).contains(v)
            || (0x1D173...0x1D17A).contains(v)
            || (0xE000...0xF8FF).contains(v) || (0xF0000...0xFFFFD).contains(v) || (0x100000...0x10FFFD).contains(v)  // C.3
            || (0xFDD0...0xFDEF).contains(v) || (v & 0xFFFE) == 0xFFFE  // C.4
            || v == 0xFFFD || (0x2FF0...0x2FFB).contains(v)  // C.6, C.7
            || [0x340, 0x341, 0x200E, 0x200F].contains(v) || (0x202A...0x202E).contains(v)  // C.8
            || v == 0xE0001 || (0xE0020...0xE007F).contains(v)  // C.9
    }
}
