import LineFraming

/// A mailbox, RFC 5321 §4.1.2: `Local-part "@" ( Domain / address-literal )`.
///
/// ```
/// C: RCPT TO:<"john doe"@Example.ORG>
/// ```
/// gives `localPart` "john doe" (quotes and backslashes removed), `domain`
/// "Example.ORG" (as written, without a trailing dot) and `description`
/// `"john doe"@Example.ORG`. Local parts are case-sensitive (RFC 5321 §2.4);
/// domains are not, so compare them with `hasDomain(_:)` or `normalizedDomain`.
public struct Mailbox: Sendable, Hashable, CustomStringConvertible {
    /// The local part with quoting undone. May contain UTF-8 (RFC 6531 §3.3).
    public var localPart: String
    /// The domain as written: a name (maybe with U-labels), or an address literal
    /// in brackets (`[192.0.2.1]`, `[IPv6:2001:db8::1]`). Empty only for the
    /// special recipient `<Postmaster>` (RFC 5321 §4.1.1.3).
    public var domain: String

    public init(localPart: String, domain: String) {
        self.localPart = localPart
        self.domain = domain
    }

    /// The domain lower-cased, for lookups and relay decisions. ASCII letters are
    /// folded per RFC 5321 §2.4; U-labels get Unicode lower-casing (no IDNA mapping).
    public var normalizedDomain: String {
        domain.utf8.allSatisfy { $0 < 0x80 }
            ? String(decoding: domain.utf8.map(ByteClass.asciiLowercased), as: UTF8.self)
            : domain.lowercased()
    }

    /// Whether the domain is `other`, ignoring case and a trailing dot. RFC 5321 §2.4.
    public func hasDomain(_ other: String) -> Bool {
        let trimmed = other.hasSuffix(".") ? String(other.dropLast()) : other
        return normalizedDomain == Mailbox(localPart: "", domain: trimmed).normalizedDomain
    }

    /// The address literal, when the domain is one.
    public var addressLiteral: AddressLiteral? { AddressLiteral(domain) }

    /// `<Postmaster>` without a domain: must be accepted as a recipient. RFC 5321 §4.1.1.3.
    public var isBarePostmaster: Bool { domain.isEmpty }

    /// Whether local part and domain are ASCII; if not, the path needs SMTPUTF8. RFC 6531 §3.4.
    public var isASCII: Bool { localPart.utf8.allSatisfy { $0 < 0x80 } && domain.utf8.allSatisfy { $0 < 0x80 } }

    /// Whether the local part can be written as a Dot-string or needs quoting. RFC 5321 §4.1.2.
    public var localPartNeedsQuoting: Bool {
        let bytes = Array(localPart.utf8)
        guard !bytes.isEmpty, bytes.first != ByteClass.dot, bytes.last != ByteClass.dot else { return true }
        var previousDot = false
        for byte in bytes {
            if byte == ByteClass.dot {
                if previousDot { return true }
                previousDot = true
            } else {
                previousDot = false
                if !(ByteClass.isAtext(byte) || ByteClass.isNonASCII(byte)) { return true }
            }
        }
        return false
    }

    /// The local part as it goes on the wire: a Dot-string, or a Quoted-string with
    /// `"` and `\` escaped. RFC 5321 §4.1.2 (a SHOULD: quote only when needed).
    public var encodedLocalPart: String {
        guard localPartNeedsQuoting else { return localPart }
        var out = "\""
        for character in localPart {
            if character == "\"" || character == "\\" { out.append("\\") }  // RFC 5321 §4.1.2 quoted-pairSMTP
            out.append(character)
        }
        return out + "\""
    }

    /// `local@domain`, the local part quoted when needed; `Postmaster` alone for `<Postmaster>`.
    public var description: String { domain.isEmpty ? encodedLocalPart : "\(encodedLocalPart)@\(domain)" }
}
