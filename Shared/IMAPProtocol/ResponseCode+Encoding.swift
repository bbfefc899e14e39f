import LineFraming

/// Response codes as sent inside `[` `]`. RFC 9051 §7.1, RFC 3501 §7.1, RFC 4315 §3,
/// RFC 5530 §3, RFC 7162 §3.1–3.2, RFC 5182 §2.4, RFC 3516 §4.3, RFC 5465 §5.
///
/// ```
/// resp-text-code = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")" ] /
///                  capability-data / "PARSE" /
///                  "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
///                  "READ-ONLY" / "READ-WRITE" / "TRYCREATE" /
///                  "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
///                  "UNSEEN" SP nz-number /                                      ; RFC 3501
///                  resp-code-apnd / resp-code-copy / "UIDNOTSTICKY" /           ; RFC 4315
///                  "UNAVAILABLE" / "AUTHENTICATIONFAILED" / … / "NONEXISTENT" / ; RFC 5530
///                  "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" /
///                  "MODIFIED" SP sequence-set / "CLOSED" /                      ; RFC 7162
///                  "NOTSAVED" / "UNKNOWN-CTE" / "TOOBIG" /                      ; 5182, 3516, 9051
///                  "NOUPDATE" SP quoted                                         ; RFC 5267 §4.3.1
/// resp-code-apnd = "APPENDUID" SP nz-number SP append-uid
/// resp-code-copy = "COPYUID" SP nz-number SP uid-set SP uid-set
/// flag-perm      = flag / "\*"
/// charset        = atom / quoted
/// ```
/// `S: * OK [PERMANENTFLAGS (\Deleted \Seen \*)] Limited`
extension ResponseCode {
    /// The code without its brackets: `APPENDUID 38505 3955:3957`.
    public var encoded: [UInt8] { Array(text.utf8) }

    private var text: String {
        switch self {
        case .alert: return "ALERT"
        case .alreadyExists: return "ALREADYEXISTS"
        case .appendUID(let validity, let uids):
            return "APPENDUID \(validity) \(UIDSetCompression.sorted(uids))"
        case .authenticationFailed: return "AUTHENTICATIONFAILED"
        case .authorizationFailed: return "AUTHORIZATIONFAILED"
        case .badCharset(let charsets):
            // RFC 9051 §7.1: the list is optional; an empty one is left out.
            guard !charsets.isEmpty else { return "BADCHARSET" }
            return "BADCHARSET (\(charsets.map(Self.charset).joined(separator: " ")))"
        case .cannot: return "CANNOT"
        case .capability(let names): return (["CAPABILITY"] + names).joined(separator: " ")
        case .clientBug: return "CLIENTBUG"
        case .closed: return "CLOSED"
        case .contactAdmin: return "CONTACTADMIN"
        case .copyUID(let validity, let source, let destination):
            // RFC 4315 §3: the sets pair up in order, so neither is sorted.
            return "COPYUID \(validity) \(UIDSetCompression.ordered(source)) \(UIDSetCompression.ordered(destination))"
        case .corruption: return "CORRUPTION"
        case .expired: return "EXPIRED"
        case .expungeIssued: return "EXPUNGEISSUED"
        case .hasChildren: return "HASCHILDREN"
        case .highestModSeq(let value): return "HIGHESTMODSEQ \(value)"
        case .inUse: return "INUSE"
        case .limit: return "LIMIT"
        case .modified(let set): return "MODIFIED \(UIDSetCompression.sorted(set))"
        case .noModSeq: return "NOMODSEQ"
        case .nonexistent: return "NONEXISTENT"
        case .noPerm: return "NOPERM"
        case .notSaved: return "NOTSAVED"
        case .overQuota: return "OVERQUOTA"
        case .parse: return "PARSE"
        case .permanentFlags(let flags): return "PERMANENTFLAGS (\(flags.joined(separator: " ")))"
        case .privacyRequired: return "PRIVACYREQUIRED"
        case .readOnly: return "READ-ONLY"
        case .readWrite: return "READ-WRITE"
        case .serverBug: return "SERVERBUG"
        case .tooBig: return "TOOBIG"
        case .compressionActive: return "COMPRESSIONACTIVE"
        // url-resp-text = 1*(%x01-09 / %x0B-0C / %x0E-5B / %x5E-FE): no CR, LF, "\" or "]". RFC 4469 §5
        // "INPROGRESS" [SP "(" progress-tag SP progress-state ")"]; progress-tag = quoted / nil;
        // progress-state = (number / nil) SP (nz-number / nil). RFC 9585 §5
        case .inProgress(let tag, let done, let total):
            let quotedTag = tag.map { String(decoding: IMAPString.quoted(Array($0.utf8)), as: UTF8.self) } ?? "NIL"
            let total = total.flatMap { $0 > 0 ? $0 : nil }
            return "INPROGRESS (\(quotedTag) \(done.map(String.init) ?? "NIL") \(total.map(String.init) ?? "NIL"))"
        case .badURL(let url):
            let text = String(url.unicodeScalars.filter { $0.value > 0 && $0.value < 0xFF && !"\r\n\\]".unicodeScalars.contains($0) })
            return "BADURL " + (text.isEmpty ? "?" : text)
        case .tryCreate: return "TRYCREATE"
        case .uidNext(let value): return "UIDNEXT \(value)"
        case .uidNotSticky: return "UIDNOTSTICKY"
        case .uidValidity(let value): return "UIDVALIDITY \(value)"
        case .unavailable: return "UNAVAILABLE"
        case .unknownCTE: return "UNKNOWN-CTE"
        case .unseen(let value): return "UNSEEN \(value)"
        case .noUpdate(let tag): return "NOUPDATE " + String(decoding: IMAPString.quoted(Array(tag.utf8)), as: UTF8.self)
        case .mailboxID(let id): return "MAILBOXID (\(id))"  // RFC 8474 §4.1
        case .useAttr: return "USEATTR"  // RFC 6154 §6
        case .metadata(let code): return code.text  // RFC 5464 §5
        case .badEvent(let events): return "BADEVENT (\(events.joined(separator: " ")))"  // RFC 5465 §8
        case .notificationOverflow: return "NOTIFICATIONOVERFLOW"
        }
    }

    /// `charset = atom / quoted`: quoted when it is not an atom (or not ASCII).
    private static func charset(_ name: String) -> String {
        let bytes = Array(name.utf8)
        if !bytes.isEmpty, bytes.allSatisfy(ByteClass.isAtomChar) { return name }
        // 7-bit QUOTED-CHARs only: a code sits on the status line (RFC 3501 §9).
        let printable = bytes.filter { $0 > 0 && $0 < 0x80 && $0 != ByteClass.cr && $0 != ByteClass.lf }
        return String(decoding: IMAPString.quoted(printable), as: UTF8.self)
    }
}
