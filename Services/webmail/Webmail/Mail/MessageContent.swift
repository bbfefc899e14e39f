import Foundation
import InternetMessage

/// What a message shows: the text and HTML bodies a reader sees, and the parts offered as
/// attachments, each with its IMAP part number (RFC 3501 §6.4.5), found once from the parse
/// kept since delivery.
struct MessageContent {
    let parse: ParsedMessage
    let bytes: [UInt8]
    private(set) var textPart: MessagePart?
    private(set) var htmlPart: MessagePart?
    private(set) var attachments: [(number: String, part: MessagePart)] = []

    init(parse: ParsedMessage, bytes: [UInt8]) {
        self.parse = parse
        self.bytes = bytes
        var stack: [([Int], MessagePart)] = [(parse.root.isMultipart ? [] : [1], parse.root)]
        while let (path, part) = stack.popLast() {
            if part.isMultipart {
                stack += part.parts.enumerated().map { (path + [$0.offset + 1], $0.element) }.reversed()
                continue
            }
            let type = part.contentType
            let attached = part.contentDisposition?.type.lowercased() == "attachment" || part.filename != nil
            if !attached, type.type == "text", type.subtype == "plain", textPart == nil {
                textPart = part
            } else if !attached, type.type == "text", type.subtype == "html", htmlPart == nil {
                htmlPart = part
            } else if !attached, type.type == "image", part.contentID != nil {
                // An image the HTML shows by `cid:` (RFC 2392), not offered apart.
            } else {
                attachments.append((path.map(String.init).joined(separator: "."), part))
            }
        }
    }

    var text: String? { textPart?.decodedText(in: bytes) }

    /// The HTML body with its `cid:` images made `data:` URLs (RFC 2392; the frame may load
    /// nothing else: remote content stays off). A reference is `cid:` and the whole id, up to
    /// a quote, a parenthesis, `<`, `>` or white space; an image is inlined only while the
    /// document stays under `inlineBudget` more than the message itself, so a sender cannot
    /// name one big image ten thousand times and make the page gigabytes.
    var html: String? {
        guard let html = htmlPart?.decodedText(in: bytes) else { return nil }
        var images: [String: String] = [:]
        for (_, part) in parse.allParts() where part.contentType.type == "image" {
            guard let id = part.contentID?.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")), !id.isEmpty,
                images[id] == nil
            else { continue }
            images[id] = "data:\(part.contentType.mimeType);base64," + Data(part.decodedBody(in: bytes)).base64EncodedString()
        }
        guard !images.isEmpty, html.contains("cid:") else { return html }
        var budget = bytes.count + Self.inlineBudget
        var out = ""
        var pieces = html.components(separatedBy: "cid:")
        out += pieces.removeFirst()
        for piece in pieces {
            let id = String(piece.prefix { !"\"'()<> \t\r\n".contains($0) })
            if let data = images[id], data.utf8.count <= budget {
                budget -= data.utf8.count
                out += data + piece.dropFirst(id.count)
            } else {
                out += "cid:" + piece
            }
        }
        return out
    }

    /// Bytes of inlined images a document may grow by beyond the message's own size.
    static let inlineBudget = 1024 * 1024

    /// The part a number like `2` or `1.3` names.
    func part(_ number: String) -> MessagePart? {
        let path = number.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard !path.isEmpty, path.count <= 32, path.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        return parse.part(at: path.map { $0! })
    }

    /// A part's file name as the sender wrote it, else one made from its type.
    static func fileName(_ part: MessagePart, number: String) -> String {
        let given = part.filename.map(EncodedWord.decode)?.trimmingCharacters(in: .whitespaces) ?? ""
        if !given.isEmpty { return given }
        return part.contentType.isEncapsulatedMessage ? "message-\(number).eml" : "part-\(number)"
    }
}
