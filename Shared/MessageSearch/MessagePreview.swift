import InternetMessage

/// The PREVIEW of a message (RFC 8970 §3.1): up to 256 characters of the text a reader would
/// see first, as plain UTF-8 on one line.
///
/// Which text: the first `text/plain` or `text/html` part that is not an attachment, walking
/// the MIME tree in order; in a `multipart/alternative` the plain version when there is one
/// (RFC 2046 §5.1.4), else the first that gives text. Encapsulated messages (forwards) are not
/// read: their text is not this message's. The text is decoded as SEARCH BODY decodes it
/// (transfer encoding and charset removed, `MessagePart.decodedText`), HTML reduced to the
/// text it shows (`HTMLText`, the same reduction search uses). Quoted lines (`>`) and the
/// signature after a `-- ` line are left out (RFC 8970 §3.1 leaves the algorithm to the
/// server and asks for the text most useful as a preview), control characters dropped and
/// white space runs made one space. A message with no such text has the empty preview.
///
/// `S: * 1 FETCH (PREVIEW "Hello, here are the minutes of Monday's meeting…")`
public enum MessagePreview {
    /// RFC 8970 §3.1: "MUST NOT be more than 256 characters".
    public static let maxCharacters = 256

    public static func text(raw: [UInt8], parse: ParsedMessage) -> String {
        guard let (part, isHTML) = firstText(parse.root), let decoded = part.decodedText(in: raw) else { return "" }
        return normalize(isHTML ? HTMLText.reduce(decoded) : decoded)
    }

    /// The part that gives the preview, and whether it is HTML.
    static func firstText(_ part: MessagePart) -> (MessagePart, Bool)? {
        if part.isMultipart {
            if part.contentType.subtype == "alternative",
                let plain = part.parts.first(where: { !$0.isMultipart && kind($0) == false })
            {
                return (plain, false)
            }
            for child in part.parts {
                if let found = firstText(child) { return found }
            }
            return nil
        }
        guard let isHTML = kind(part) else { return nil }
        return (part, isHTML)
    }

    /// false for text/plain, true for text/html, nil for anything else or an attachment.
    private static func kind(_ part: MessagePart) -> Bool? {
        guard part.contentType.type == "text", part.contentDisposition?.type != "attachment" else { return nil }
        switch part.contentType.subtype {
        case "plain": return false
        case "html": return true
        default: return nil
        }
    }

    /// One line of at most `maxCharacters` characters, without quoted lines or the signature.
    static func normalize(_ text: String) -> String {
        var out = ""
        var count = 0
        var pendingSpace = false
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            // RFC 3676 §4.3: the signature separator; what follows is not the message.
            if line == "-- " || line == "--" { break }
            if line.first == ">" { continue }
            for character in line {
                if character.isWhitespace || character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
                    pendingSpace = count > 0
                    continue
                }
                if pendingSpace {
                    guard count + 1 < maxCharacters else { return out }
                    out.append(" ")
                    count += 1
                    pendingSpace = false
                }
                guard count < maxCharacters else { return out }
                out.append(character)
                count += 1
            }
            pendingSpace = count > 0
        }
        return out
    }
}
