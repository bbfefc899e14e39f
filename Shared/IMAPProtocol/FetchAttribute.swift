/// One FETCH data item a client asks for. RFC 9051 §6.4.5, RFC 3501 §6.4.5, RFC 3516 §4.2,
/// RFC 7162 §3.1.4.
///
/// ```
/// fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".TEXT"] /
///             "RFC822.SIZE" / "BODY" ["STRUCTURE"] / "UID" / "MODSEQ" /
///             "BODY" section [partial] / "BODY.PEEK" section [partial] /
///             "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary
///
/// fetch-att =/ "EMAILID" / "THREADID"                                   ; RFC 8474 §7
/// fetch-att =/ "SAVEDATE"                                               ; RFC 8514 §6
/// fetch-att =/ "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"]     ; RFC 8970 §7
/// preview-mod = "LAZY"
/// ```
/// The macros ALL, FAST and FULL are expanded by the parser (RFC 9051 §6.4.5).
public enum FetchAttribute: Sendable, Hashable {
    case envelope
    case flags
    case internalDate
    case rfc822Size
    /// RFC822: like BODY[], sets \Seen; answered as `RFC822`.
    case rfc822
    /// RFC822.HEADER: like BODY.PEEK[HEADER]; answered as `RFC822.HEADER`.
    case rfc822Header
    /// RFC822.TEXT: like BODY[TEXT], sets \Seen; answered as `RFC822.TEXT`.
    case rfc822Text
    /// BODY without a section: the non-extensible BODYSTRUCTURE.
    case body
    case bodyStructure
    case uid
    /// MODSEQ. RFC 7162 §3.1.4.1
    case modSeq
    /// BODY[section]<partial> or BODY.PEEK[…] (peek: no \Seen).
    case section(SectionSpec, partial: Partial?, peek: Bool)
    /// BINARY[part]<partial> or BINARY.PEEK[…]: the part's content, transfer encoding removed.
    case binary(part: [Int], partial: Partial?, peek: Bool)
    /// BINARY.SIZE[part].
    case binarySize(part: [Int])
    /// EMAILID and THREADID: the message's object ids. RFC 8474 §5.1, §5.2
    case emailID
    case threadID
    /// SAVEDATE: when the message was put into this mailbox. RFC 8514 §4.1
    case saveDate
    /// PREVIEW, or `PREVIEW (LAZY)`: a short text of the message. RFC 8970 §3.1
    case preview(lazy: Bool)

    /// `<offset.length>`. RFC 9051 §6.4.5: the answer names only the offset (`BODY[]<0>`).
    public struct Partial: Sendable, Hashable {
        public var offset: UInt32
        public var length: UInt32
        public init(offset: UInt32, length: UInt32) {
            self.offset = offset
            self.length = length
        }
    }

    /// Whether fetching this sets \Seen on a message that lacks it. RFC 9051 §6.4.5
    public var setsSeen: Bool {
        switch self {
        case .rfc822, .rfc822Text: return true
        case .section(_, _, let peek), .binary(_, _, let peek): return !peek
        default: return false
        }
    }
}

/// A body section: a part path (empty for the whole message) and what of it. RFC 9051 §6.4.5
///
/// ```
/// section      = "[" [section-spec] "]"
/// section-spec = section-msgtext / (section-part ["." section-text])
/// section-text = section-msgtext / "MIME"
/// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
/// ```
/// `BODY[1.2.HEADER.FIELDS (Subject)]` is `SectionSpec(part: [1, 2], text: .headerFields(["SUBJECT"]))`.
public struct SectionSpec: Sendable, Hashable {
    public enum Text: Sendable, Hashable {
        case header
        /// Field names, upper-cased, in the order given.
        case headerFields([String])
        case headerFieldsNot([String])
        case text
        /// Only after a part number.
        case mime
    }
    public var part: [Int]
    public var text: Text?

    public init(part: [Int] = [], text: Text? = nil) {
        self.part = part
        self.text = text
    }
}

/// FETCH modifiers. RFC 7162 §3.1.4.1 (CHANGEDSINCE), §3.2.6 (VANISHED, UID FETCH only).
public struct FetchModifiers: Sendable, Hashable {
    public var changedSince: UInt64?
    public var vanished: Bool
    /// `(PARTIAL -1:-30)`: only these of the messages the set names (by UID, ascending, that
    /// exist). RFC 9394 §3.2
    public var partial: PartialRange?
    public init(changedSince: UInt64? = nil, vanished: Bool = false) {
        self.changedSince = changedSince
        self.vanished = vanished
    }
}
