/// FETCH data items as sent in `* n FETCH (…)`. RFC 9051 §7.5.2, RFC 3501 §7.4.2,
/// RFC 3516 §4.2 (BINARY), RFC 7162 §3.1.4 (MODSEQ).
///
/// ```
/// msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
/// msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time /
///                   "RFC822.SIZE" SP number64 / "BODY" ["STRUCTURE"] SP body /
///                   "BODY" section ["<" number ">"] SP nstring /
///                   "BINARY" section-binary SP (nstring / literal8) /
///                   "BINARY.SIZE" section-binary SP number / "UID" SP uniqueid /
///                   "RFC822" [".HEADER" / ".TEXT"] SP nstring                   ; RFC 3501
/// fetch-mod-resp  = "MODSEQ" SP "(" permsg-modsequence ")"                     ; RFC 7162
/// ```
/// ```
/// S: * 12 FETCH (UID 7 FLAGS (\Seen) INTERNALDATE "17-Jul-1996 02:44:25 +0000"
///    RFC822.SIZE 4286 MODSEQ (12121) BODY[HEADER]<0> {342}
/// ```
/// Message data always goes as a literal (never quoted), so its bytes arrive unchanged.
/// A literal may not hold NUL (RFC 9051 §4.3 CHAR8): in BODY/RFC822 data a NUL is sent as
/// 0x80, as Dovecot does, keeping sizes and partial offsets exact; BINARY data with NUL is
/// sent as a literal8 `~{n}` (RFC 3516 §4.2), which may carry any octet.
extension FetchItem {
    /// The item alone, for tests and logs: `UID 7`.
    public func encoded(utf8Enabled: Bool = false) -> [UInt8] {
        var w = ResponseWriter(utf8Enabled: utf8Enabled)
        write(to: &w)
        return w.bytes
    }

    func write(to w: inout ResponseWriter) {
        switch self {
        case .uid(let uid):
            w.atom("UID ")
            w.number(uid)
        case .flags(let flags):
            w.atom("FLAGS ")
            w.atomList(flags)
        case .internalDate(let seconds):
            w.atom("INTERNALDATE ")
            w.raw(IMAPDateTime(secondsSince1970: seconds).encoded)  // UTC, day space-padded
        case .rfc822Size(let size):
            w.atom("RFC822.SIZE ")
            w.number(size)
        case .modSeq(let value):
            w.atom("MODSEQ (")
            w.number(value)
            w.close()
        case .envelope(let envelope):
            w.atom("ENVELOPE ")
            EnvelopeEncoding.write(envelope, to: &w)
        case .bodyStructure(let part, let extended):
            w.atom(extended ? "BODYSTRUCTURE " : "BODY ")
            BodyStructureEncoding.write(part, extended: extended, to: &w)
        case .section(let section, let offset, let data):
            w.atom("BODY")
            w.raw(section.encoded)
            Self.origin(&w, offset)
            Self.textLiteral(&w, data)
        case .rfc822(let data):
            w.atom("RFC822 ")
            Self.textLiteral(&w, data)
        case .rfc822Header(let data):
            w.atom("RFC822.HEADER ")
            Self.textLiteral(&w, data)
        case .rfc822Text(let data):
            w.atom("RFC822.TEXT ")
            Self.textLiteral(&w, data)
        case .binary(let part, let offset, let data):
            w.atom("BINARY")
            w.raw(SectionSpec.encodedBinary(part: part))
            Self.origin(&w, offset)
            guard let data else { return w.nilAtom() }
            w.raw(IMAPString.literal(data, binary: data.contains(0)))
        case .binarySize(let part, let size):
            w.atom("BINARY.SIZE")
            w.raw(SectionSpec.encodedBinary(part: part))
            w.atom(" \(size)")
        case .emailID(let id):
            w.atom("EMAILID (\(id))")  // RFC 8474 §7: "EMAILID" SP "(" objectid ")"
        case .threadID(let id):
            // RFC 8474 §7: "THREADID" SP ( "(" objectid ")" / nil )
            w.atom("THREADID ")
            guard let id else { return w.nilAtom() }
            w.atom("(\(id))")
        case .saveDate(let seconds):
            // RFC 8514 §6: "SAVEDATE" SP (date-time / nil)
            w.atom("SAVEDATE ")
            guard let seconds else { return w.nilAtom() }
            w.raw(IMAPDateTime(secondsSince1970: seconds).encoded)
        case .preview(let text):
            // RFC 8970 §7: "PREVIEW" SP nstring; quoted when it can be, else a literal
            // (UTF-8 goes quoted only once UTF8=ACCEPT is on, RFC 6855 §3).
            w.atom("PREVIEW ")
            w.nstring(text)
        }
    }

    /// `["<" number ">"] SP`: the partial's origin octet. RFC 9051 §7.5.2
    private static func origin(_ w: inout ResponseWriter, _ offset: UInt32?) {
        if let offset { w.atom("<\(offset)>") }
        w.space()
    }

    /// `nstring` as a literal; NUL becomes 0x80 (a literal's CHAR8 excludes it).
    private static func textLiteral(_ w: inout ResponseWriter, _ data: [UInt8]?) {
        guard let data else { return w.nilAtom() }
        if data.contains(0) {
            w.raw(IMAPString.literal(data.map { $0 == 0 ? 0x80 : $0 }))
        } else {
            w.raw(IMAPString.literal(data))
        }
    }
}
