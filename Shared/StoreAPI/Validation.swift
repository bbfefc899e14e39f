/// Checks on names that come from outside: addresses, domains, mailbox names.
///
/// The store enforces these on every write so that nothing a gateway passes through can put a
/// name into the database that IMAP, a file system or a log could misread.
public enum Validation {
    /// RFC 5321 §4.5.3.1.1 local part 64 octets, §4.5.3.1.2 domain 255 octets.
    public static let maxLocalPartLength = 64
    public static let maxDomainLength = 253
    public static let maxLabelLength = 63
    /// A whole mailbox name; IMAP sets no limit, common servers use a few hundred octets.
    public static let maxMailboxNameLength = 255
    /// One level of a mailbox name.
    public static let maxMailboxComponentLength = 100
    /// Hierarchy levels of a mailbox name.
    public static let maxMailboxDepth = 16
    public static let mailboxDelimiter: Character = "/"

    /// Lower-cased, trailing-dot-free domain, or nil when it is not a host name (RFC 1035 §2.3.1,
    /// with UTF-8 U-labels allowed for RFC 6531).
    public static func domain(_ raw: String) -> String? {
        var name = raw.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.count <= maxDomainLength else { return nil }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 1 else { return nil }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= maxLabelLength,
                label.first != "-", label.last != "-"
            else { return nil }
            for byte in label.utf8 where !(byte >= 0x80 || isAlnum(byte) || byte == UInt8(ascii: "-")) {
                return nil
            }
        }
        guard printableUnicode(name) else { return nil }
        return name
    }

    /// `local@domain` with the domain canonical and the local part lower-cased (Buzón treats
    /// local parts case-insensitively, as users expect), or nil.
    public static func address(_ raw: String) -> String? {
        guard let at = raw.lastIndex(of: "@") else { return nil }
        let local = raw[..<at]
        guard !local.isEmpty, local.utf8.count <= maxLocalPartLength,
            let domain = domain(String(raw[raw.index(after: at)...]))
        else { return nil }
        // RFC 5322 §3.2.3 atext plus "."; quoted local parts are not accepted as account names.
        for byte in local.utf8 {
            if byte >= 0x80 { continue }  // RFC 6531 UTF-8 local parts
            if isAlnum(byte) || "!#$%&'*+-/=?^_`{|}~.".utf8.contains(byte) { continue }
            return nil
        }
        guard local.first != ".", local.last != ".", !local.contains(".."), printableUnicode(local) else { return nil }
        return local.lowercased() + "@" + domain
    }

    /// A remote recipient as SMTP may name it: any local part a server elsewhere may accept
    /// (quoted strings included, RFC 5321 §4.1.2), but no line breaks or NUL, and a valid domain
    /// or address literal. Case is kept: only the receiving server interprets the local part.
    public static func remoteAddress(_ raw: String) -> String? {
        guard let at = raw.lastIndex(of: "@") else { return nil }
        let local = raw[..<at]
        let host = String(raw[raw.index(after: at)...])
        guard !local.isEmpty, local.utf8.count <= maxLocalPartLength,
            !local.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }), printableUnicode(local)
        else { return nil }
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            // RFC 5321 §4.1.2 Quoted-string: any printable, with \" and \\ escaped.
        } else {
            for byte in local.utf8 where !(byte >= 0x80 || isAlnum(byte) || "!#$%&'*+-/=?^_`{|}~.".utf8.contains(byte)) {
                return nil
            }
        }
        if host.hasPrefix("["), host.hasSuffix("]"), host.utf8.count <= 64,
            !host.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7f })
        {
            return String(local) + "@" + host
        }
        guard let domain = domain(host) else { return nil }
        return String(local) + "@" + domain
    }

    /// The domain part of an already valid address.
    public static func domainOf(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...])
    }

    /// A mailbox name with `INBOX` canonical, or nil. Refused: empty levels (leading, trailing
    /// or doubled `/`), `.` and `..` levels, the IMAP LIST wildcards `%` and `*`, control
    /// characters and NUL, and names over the length limits.
    public static func mailboxName(_ raw: String) -> String? {
        guard !raw.isEmpty, raw.utf8.count <= maxMailboxNameLength, printableUnicode(raw) else { return nil }
        for scalar in raw.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value) { return nil }
            if scalar == "%" || scalar == "*" { return nil }
        }
        var parts = raw.split(separator: mailboxDelimiter, omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= maxMailboxDepth else { return nil }
        for part in parts {
            guard !part.isEmpty, part != ".", part != "..", part.utf8.count <= maxMailboxComponentLength,
                part.trimmingWhitespace() == part
            else { return nil }
        }
        // RFC 3501 §5.1: INBOX is case-insensitive, also as the first level of a hierarchy.
        if parts[0].uppercased() == "INBOX" { parts[0] = "INBOX" }
        return parts.joined(separator: String(mailboxDelimiter))
    }

    /// Non-ASCII is allowed in names (RFC 6531/6532), but not as C1 controls, line or
    /// paragraph separators, or invisible format characters that make two names look alike.
    static func printableUnicode(_ s: some StringProtocol) -> Bool {
        s.unicodeScalars.allSatisfy { scalar in
            guard scalar.value >= 0x80 else { return true }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .unassigned, .privateUse:
                return false
            default:
                return true
            }
        }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
