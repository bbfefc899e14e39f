import InternetMessage

/// The values SORT compares, each taken from a message's header fields as RFC 5256 §3 and
/// RFC 5957 §3 say. Strings come back as `UnicodeCasemap` keys, ready to compare as octets
/// (or to store in an index column compared with SQLite's BINARY collation).
public enum SortValue {
    /// FROM, TO, CC (RFC 5256 §3): the IMAP addr-mailbox (the local part) of the field's first
    /// address; the empty string when there is none.
    ///
    /// `"Ann B" <Ann.B@x.org>, c@y` -> key of "Ann.B"
    public static func addressMailbox(_ field: String?) -> String {
        guard let field, let first = firstAddress(field) else { return "" }
        return UnicodeCasemap.key(first.mailbox ?? "")
    }

    /// DISPLAYFROM, DISPLAYTO (RFC 5957 §3): the first address's display name with its
    /// encoded-words decoded; when that is missing or empty, `mailbox@host`; the empty string
    /// when the field has no address.
    ///
    /// `=?utf-8?q?J=C3=BCrgen?= <j@x.de>` -> key of "Jürgen"; `<j@x.de>` -> key of "j@x.de"
    public static func display(_ field: String?) -> String {
        guard let field, let first = firstAddress(field) else { return "" }
        if let name = first.name {
            let decoded = EncodedWord.decode(name)
            if !decoded.isEmpty { return UnicodeCasemap.key(decoded) }
        }
        return UnicodeCasemap.key(first.addressSpec ?? first.mailbox ?? "")
    }

    /// SUBJECT (RFC 5256 §3): the base subject (§2.1).
    public static func subject(_ field: String?) -> String {
        BaseSubject(field).key
    }

    /// DATE (RFC 5256 §2.2): the Date: field as an instant (its zone applied), in seconds since
    /// 1970; the internal date when the field is missing or does not parse.
    public static func sentDate(_ field: String?, internalDate: Int64) -> Int64 {
        guard let field, let fields = MessageDate.fields(field) else { return internalDate }
        return Int64(fields.secondsSince1970)
    }

    /// The first address that is not a group marker (a group's members count, RFC 5322 §3.4).
    static func firstAddress(_ field: String) -> Address? {
        AddressParser.parseList(field).first { !$0.isGroupStart && !$0.isGroupEnd }
    }
}
