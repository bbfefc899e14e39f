/// Flags and keywords as IMAP defines them (RFC 3501 §2.3.2, RFC 9051 §2.3.2).
///
/// System flags are stored as bits, keywords as text; `\Recent` is session state and cannot be
/// stored.
public enum MessageFlag {
    public static let seen = "\\Seen"
    public static let answered = "\\Answered"
    public static let flagged = "\\Flagged"
    public static let deleted = "\\Deleted"
    public static let draft = "\\Draft"

    /// The storable system flags, in bit order.
    public static let system: [String] = [seen, answered, flagged, deleted, draft]

    /// A keyword may be at most this long; IMAP sets no limit, but a keyword is a label.
    public static let maxKeywordLength = 100
    /// At most this many keywords on one message.
    public static let maxKeywords = 64

    /// The canonical spelling of a flag (system flags are case-insensitive), or nil if it
    /// is not a storable flag. Keywords keep their case (RFC 3501 §2.3.2 leaves it open;
    /// clients expect `$Forwarded` back as sent).
    public static func canonical(_ flag: String) -> String? {
        if flag.hasPrefix("\\") {
            return system.first { $0.lowercased() == flag.lowercased() }
        }
        // RFC 3501 §9: flag-keyword = atom; atom excludes atom-specials.
        guard !flag.isEmpty, flag.utf8.count <= maxKeywordLength else { return nil }
        for byte in flag.utf8 {
            if byte <= 0x20 || byte >= 0x7f { return nil }
            if "(){%*\"\\]".utf8.contains(byte) { return nil }
        }
        return flag
    }

    public static func bit(_ canonicalFlag: String) -> Int? {
        system.firstIndex(of: canonicalFlag).map { 1 << $0 }
    }
}
