/// A piece of an argument list not parsed in full yet (fetch attributes, search keys,
/// store modifiers): the text as sent and the literals inside it, so the grammar can grow
/// without changing how commands are framed.
///
/// ```
/// C: a1 UID SEARCH CHARSET UTF-8 SUBJECT {4}
/// C: café
/// ```
/// keeps `.text("CHARSET UTF-8 SUBJECT ")`, `.literal("café")`.
public enum IMAPRawPiece: Sendable, Hashable {
    case text([UInt8])
    case literal([UInt8], binary: Bool)

    /// The pieces as sent, literals announced synchronizing (`{n}`) or not (`{n+}`).
    public static func encode(_ pieces: [IMAPRawPiece], style: IMAPLiteralStyle) -> [UInt8] {
        var out: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .literal(let data, let binary): out += IMAPString.literal(data, style: style, binary: binary)
            }
        }
        return out
    }
}
