/// Message identifiers as THREAD=REFERENCES compares them (RFC 5256 §3; RFC 5322 §3.6.4).
///
/// ```
/// "<a@x> (a comment) <b@y>"  -> ["a@x", "b@y"]
/// "<a @ x>"                  -> ["a@x"]       whitespace (folding) removed
/// "<no-at-sign> junk"        -> []            not a valid msg-id
/// ```
/// An id is what stands between "<" and ">", whitespace removed, with an "@" that has text on
/// both sides (`id-left "@" id-right`). Ids compare case-sensitively (RFC 5256 §3, REFERENCES
/// step 1.A).
public enum MessageIDs {
    public static func parse(_ field: String?) -> [String] {
        guard let field else { return [] }
        var ids: [String] = []
        var current: String.UnicodeScalarView?
        for scalar in field.unicodeScalars {
            switch scalar {
            case "<":
                current = String.UnicodeScalarView()
            case ">":
                if let id = current.map(String.init), isValid(id) { ids.append(id) }
                current = nil
            case " ", "\t", "\r", "\n":
                continue
            default:
                current?.append(scalar)
            }
        }
        return ids
    }

    /// The first valid id of a field (Message-ID, In-Reply-To), nil when none.
    public static func first(_ field: String?) -> String? {
        parse(field).first
    }

    private static func isValid(_ id: String) -> Bool {
        guard let at = id.firstIndex(of: "@") else { return false }
        return at != id.startIndex && id.index(after: at) != id.endIndex
    }
}
