/// An IMAP URL naming a message or a part of one: what CATENATE's `URL` parts hold.
/// RFC 5092 §5–§7 (RFC 4469 §3: absolute, or relative to the APPEND's mailbox).
///
/// ```
/// imapurl      = "imap://" iserver ipath-query                              ; RFC 5092 §11
/// iserver      = [iuserinfo "@"] host [":" port]
/// iuserinfo    = enc-user [iauth] / [enc-user] iauth ; iauth = ";AUTH=" ( "*" / enc-auth-type )
/// imessagepart = imailbox-ref iuid [isection] [ipartial] [iurlauth]
/// imailbox-ref = enc-mailbox [";UIDVALIDITY=" nz-number]
/// iuid         = "/;UID=" nz-number   isection = "/;SECTION=" enc-section
/// ipartial     = "/;PARTIAL=" number ["." nz-number]
/// iurlauth     = [";EXPIRE=" date-time] ";URLAUTH=" access ":" mechanism ":" token
/// ```
/// ```
/// imap://alice@imap.example.org/INBOX;UIDVALIDITY=385759045/;UID=20/;SECTION=1.MIME
/// /Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER
/// ;UID=20/;SECTION=TEXT/;PARTIAL=0.1024
/// ```
/// Keys are case-insensitive (RFC 5092 §11: ABNF strings); `%XX` is decoded in the user,
/// mailbox and section. `;` cannot stand unencoded in a mailbox name (bchar), so the name
/// is what comes before the first `;`.
public struct IMAPURL: Sendable, Hashable {
    /// `imap://…` (false: a path, absolute `/Drafts;…` or relative `;UID=…`).
    public var hasServer = false
    public var user: String?
    public var host: String?
    public var port: Int?
    /// The mailbox as the URL names it (percent-decoded); nil in a relative `;UID=` URL.
    public var mailbox: String?
    public var uidValidity: UInt32?
    public var uid: UInt32?
    /// The section text, percent-decoded and upper-case (`1.MIME`, `HEADER.FIELDS (FROM)`).
    public var section: String?
    /// `;PARTIAL=offset.length`: the length nil when absent (to the end).
    public var partialOffset: UInt32?
    public var partialLength: UInt32?
    /// `;URLAUTH=` or `;EXPIRE=` was present: an authorized URL (RFC 4467), not taken here.
    public var hasURLAuth = false

    public init?(_ text: String) {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("imap://") {
            hasServer = true
            rest = rest.dropFirst(7)
            let serverEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let server = rest[..<serverEnd]
            rest = serverEnd < rest.endIndex ? rest[rest.index(after: serverEnd)...] : ""
            var hostPart = server
            if let at = server.lastIndex(of: "@") {
                let userInfo = server[..<at]
                hostPart = server[server.index(after: at)...]
                let userEnd = userInfo.firstIndex(of: ";") ?? userInfo.endIndex
                guard let user = Self.percentDecoded(userInfo[..<userEnd]) else { return nil }
                if !user.isEmpty { self.user = user }
            }
            if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasSuffix("]") {
                guard let port = Int(hostPart[hostPart.index(after: colon)...]) else { return nil }
                self.port = port
                hostPart = hostPart[..<colon]
            }
            guard !hostPart.isEmpty else { return nil }
            host = hostPart.lowercased()
        } else if rest.hasPrefix("/") {
            rest = rest.dropFirst()
        }
        // The mailbox: up to the first `;` (and its `/` before `;UID=`).
        let nameEnd = rest.firstIndex(of: ";") ?? rest.endIndex
        var name = rest[..<nameEnd]
        if name.hasSuffix("/") { name = name.dropLast() }
        if !name.isEmpty {
            guard let decoded = Self.percentDecoded(name) else { return nil }
            mailbox = decoded
        }
        rest = rest[nameEnd...]
        // `;KEY=value` parameters, each but the last ending in `/` (UIDVALIDITY does not).
        for parameter in rest.split(separator: ";", omittingEmptySubsequences: true) {
            var parameter = parameter
            if parameter.hasSuffix("/") { parameter = parameter.dropLast() }
            guard let equals = parameter.firstIndex(of: "=") else { return nil }
            let key = parameter[..<equals].uppercased()
            let value = parameter[parameter.index(after: equals)...]
            switch key {
            case "UIDVALIDITY":
                guard uidValidity == nil, let number = Self.nzNumber(value) else { return nil }
                uidValidity = number
            case "UID":
                guard uid == nil, let number = Self.nzNumber(value) else { return nil }
                uid = number
            case "SECTION":
                guard section == nil, let text = Self.percentDecoded(value), !text.isEmpty else { return nil }
                section = text.uppercased()
            case "PARTIAL":
                guard partialOffset == nil else { return nil }
                let pieces = value.split(separator: ".", omittingEmptySubsequences: false)
                guard (1...2).contains(pieces.count), let offset = UInt32(pieces[0]), pieces[0].allSatisfy(\.isASCII) else { return nil }
                partialOffset = offset
                if pieces.count == 2 {
                    guard let length = Self.nzNumber(pieces[1]) else { return nil }
                    partialLength = length
                }
            case "URLAUTH", "EXPIRE":
                hasURLAuth = true
            default:
                return nil
            }
        }
    }

    /// `nz-number`: digits, no leading zero, at most 2^32-1.
    static func nzNumber(_ text: Substring) -> UInt32? {
        guard let first = text.first, first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt32(text)
    }

    /// `%XX` decoded, as UTF-8; nil for a bad escape or bytes that are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let high = hex(utf8.popFirst()!), let low = hex(utf8.popFirst()!) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
