import Mustache

/// What every template's `{{ }}` escapes with (each template opens with
/// `{{% CONTENT_TYPE: BUZON_HTML}}`).
///
/// swift-mustache's own HTML escaping looks characters up by `Character`, a grapheme cluster:
/// a `"` followed by a combining mark (U+0301) is one cluster, not found, and passes
/// unescaped, and the browser's tokenizer, which reads code points, ends the attribute value
/// there: `title="{{subject}}"` with such a subject takes attributes from the sender. This
/// escapes by Unicode scalar, so every `<`, `>`, `&`, `"` and `'` is escaped whatever follows.
struct HTMLEscaping: MustacheContentType {
    static let name = "BUZON_HTML"

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            // NUL and other C0 controls are not characters of an HTML document (WHATWG HTML
            // §13.2.3.5 parse errors); tab, line feed and carriage return stay.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Registers the content type once, before any template is parsed.
    static let registered: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)
}
