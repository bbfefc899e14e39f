import LineFraming

/// An address literal as a mailbox domain, RFC 5321 §4.1.3.
///
/// ```
/// C: RCPT TO:<postmaster@[192.0.2.1]>
/// C: RCPT TO:<postmaster@[IPv6:2001:db8::1]>
/// ```
/// ```
/// address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
///                   General-address-literal ) "]"
/// General-address-literal = Standardized-tag ":" 1*dcontent
/// dcontent = %d33-90 / %d94-126
/// ```
public enum AddressLiteral: Sendable, Hashable {
    case ipv4(String)
    case ipv6(String)
    /// A tag other than IPv6 (none is registered); kept for completeness.
    case general(tag: String, content: String)

    /// Parses `[…]`, brackets included; nil if it is not a valid literal.
    public init?(_ literal: String) {
        let bytes = Array(literal.utf8)
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return nil }
        let inner = bytes[1..<(bytes.count - 1)]
        if Self.isIPv4(inner) {
            self = .ipv4(String(decoding: inner, as: UTF8.self))
            return
        }
        guard let colon = inner.firstIndex(of: ByteClass.colon) else { return nil }
        let tag = inner[..<colon]
        let content = inner[(colon + 1)...]
        if ByteClass.equalsIgnoringCase(tag, "IPV6") {
            guard Self.isIPv6(content) else { return nil }
            self = .ipv6(String(decoding: content, as: UTF8.self))
            return
        }
        // Standardized-tag = Ldh-str. RFC 5321 §4.1.3
        guard let first = tag.first, ByteClass.isLetDig(first), let last = tag.last, ByteClass.isLetDig(last),
            tag.allSatisfy({ ByteClass.isLetDig($0) || $0 == ByteClass.hyphen }),
            !content.isEmpty, content.allSatisfy({ (33...90).contains($0) || (94...126).contains($0) })
        else { return nil }
        self = .general(tag: String(decoding: tag, as: UTF8.self), content: String(decoding: content, as: UTF8.self))
    }

    /// `IPv4-address-literal = Snum 3("." Snum)`, Snum 0–255 in 1–3 digits. RFC 5321 §4.1.3.
    static func isIPv4<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        let parts = bytes.split(separator: ByteClass.dot, omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { ByteClass.decimal($0, maxDigits: 3).map { $0 <= 255 } ?? false }
    }

    /// RFC 5321 §4.1.3 IPv6-addr: IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp.
    /// "::" may appear once and stands for at least one zero group (RFC 4291 §2.2;
    /// RFC 5321 asks for two, real clients send one); an IPv4 tail counts as two groups.
    static func isIPv6<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        let text = Array(bytes)
        var compression: Int?
        for index in text.indices.dropLast() where text[index] == ByteClass.colon && text[index + 1] == ByteClass.colon {
            if compression != nil { return false }
            compression = index
        }
        /// Counts the groups of a run without "::"; nil if malformed.
        func groups(_ run: ArraySlice<UInt8>, ipv4Allowed: Bool) -> Int? {
            if run.isEmpty { return 0 }
            let parts = run.split(separator: ByteClass.colon, omittingEmptySubsequences: false)
            var count = 0
            for (index, part) in parts.enumerated() {
                if ipv4Allowed, index == parts.count - 1, part.contains(ByteClass.dot) {
                    guard isIPv4(part) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(part.count), part.allSatisfy(ByteClass.isHexDigit) else { return nil }
                    count += 1
                }
            }
            return count
        }
        guard let compression else {
            return groups(text[...], ipv4Allowed: true) == 8
        }
        guard let head = groups(text[..<compression], ipv4Allowed: false),
            let tail = groups(text[(compression + 2)...], ipv4Allowed: true)
        else { return false }
        return head + tail <= 7
    }
}
