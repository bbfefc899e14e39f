import Foundation

/// The `i;unicode-casemap` collation (RFC 5051), the default for SORT and THREAD's string
/// comparisons (RFC 5256 §7, RFC 5957 §3).
///
/// ```
/// key("Straße") == key("STRASSE")?  no: ß has no one-character titlecase, it stays ß
/// key("café") == key("CAFE\u{301}")  yes: both become "Cafe\u{301}"
/// ```
/// A key is the string titlecased character by character (RFC 5051 §2 step 2, the simple
/// mapping: a character whose titlecase is several characters stays as it is) and then put in
/// Normalization Form KD (step 3). Keys compare as octets (`i;octet`): compare them with
/// `precedes`, not Swift's `<`, which compares canonically equivalent strings as equal.
public enum UnicodeCasemap {
    public static func key(_ s: String) -> String {
        // ASCII (most subjects and addresses, and every key the index stores for them): the
        // titlecase of a-z is A-Z, of every other ASCII character itself, and NFKD changes
        // nothing, so the key is the ASCII upper case, made without Unicode property lookups.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            guard s.utf8.contains(where: { $0 &- 0x61 < 26 }) else { return s }
            return String(decoding: s.utf8.map { $0 &- 0x61 < 26 ? $0 &- 0x20 : $0 }, as: UTF8.self)
        }
        return mappedKey(s)
    }

    /// The key by RFC 5051 §2's steps, for any string.
    static func mappedKey(_ s: String) -> String {
        var mapped = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let title = scalar.properties.titlecaseMapping.unicodeScalars
            if title.count == 1, let only = title.first {
                mapped.append(only)
            } else {
                mapped.append(scalar)
            }
        }
        return String(mapped).decomposedStringWithCompatibilityMapping
    }

    /// `a` sorts before `b` as UTF-8 octets (what SQLite's BINARY collation does with the
    /// same keys).
    public static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b`.
    public static func compare(_ a: String, _ b: String) -> Int {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                if x != y { return x < y ? -1 : 1 }
            }
        }
    }
}
