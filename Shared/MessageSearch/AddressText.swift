import InternetMessage

/// How an address field reads to FROM, TO, CC, BCC (and HEADER Reply-To / Sender): its decoded
/// value as written *and* its addresses as ENVELOPE parses them (`AddressParser`, RFC 5322
/// §3.4), each `Display Name <mailbox@host>`, so that SEARCH and FETCH ENVELOPE agree on what
/// an address is: `<user (comment)@ (comment) example.org>` is found as `user@example.org`
/// (issue 13 item 8). The two forms are searched apart (a needle never spans them).
enum AddressText {
    /// The fields whose values are address lists (RFC 5322 §3.6.2, §3.6.3), lower-cased.
    static let fieldNames: Set<[UInt8]> = Set(["from", "sender", "reply-to", "to", "cc", "bcc"].map { Array($0.utf8) })

    static func isAddressField(_ lowercasedName: [UInt8]) -> Bool { fieldNames.contains(lowercasedName) }

    /// The addresses of one field's raw value as `Name <mailbox@host>` (or the bare address),
    /// display names RFC 2047-decoded, group markers left out; nil when it holds none.
    static func parsedForm(_ rawValue: String) -> String? {
        let forms = AddressParser.parseList(rawValue).compactMap { address -> String? in
            guard let spec = address.addressSpec else { return nil }
            guard let name = address.name.map(EncodedWord.decode), !name.isEmpty else { return "<\(spec)>" }
            return "\(name) <\(spec)>"
        }
        return forms.isEmpty ? nil : forms.joined(separator: ", ")
    }
}
