/// A search program (RFC 9051 §6.4.4, RFC 3501 §6.4.4): keys ANDed together, with OR, NOT
/// and parentheses nesting. Strings are kept as bytes decoded per the CHARSET (UTF-8 or
/// US-ASCII) into `String`.
///
/// ```
/// search-key = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date / "BODY" SP astring /
///              "CC" SP astring / "DELETED" / "FLAGGED" / "FROM" SP astring / "KEYWORD" SP flag-keyword /
///              "NEW" / "OLD" / "ON" SP date / "RECENT" / "SEEN" / "SINCE" SP date / "SUBJECT" SP astring /
///              "TEXT" SP astring / "TO" SP astring / "UNANSWERED" / "UNDELETED" / "UNFLAGGED" /
///              "UNKEYWORD" SP flag-keyword / "UNSEEN" / "DRAFT" / "HEADER" SP header-fld-name SP astring /
///              "LARGER" SP number64 / "NOT" SP search-key / "OR" SP search-key SP search-key /
///              "SENTBEFORE" SP date / "SENTON" SP date / "SENTSINCE" SP date / "SMALLER" SP number64 /
///              "UID" SP sequence-set / "UNDRAFT" / sequence-set / "(" search-key *(SP search-key) ")" /
///              "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer   ; RFC 7162 §3.1.5
/// search-key =/ "EMAILID" SP objectid / "THREADID" SP objectid             ; RFC 8474 §7
/// search-key =/ "SAVEDBEFORE" SP date / "SAVEDON" SP date / "SAVEDSINCE" SP date /
///               "SAVEDATESUPPORTED"                                        ; RFC 8514 §6
/// ```
public indirect enum SearchKey: Sendable, Hashable {
    case all
    /// A flag set (`SEEN` is `.flag(.seen)`, `KEYWORD $Junk` is `.flag(Flag("$Junk"))`).
    case flag(Flag)
    /// A flag not set (`UNSEEN`, `UNKEYWORD x`).
    case noFlag(Flag)
    /// NEW = RECENT UNSEEN, OLD = NOT RECENT, RECENT (RFC 3501; gone in 9051, still sent).
    case new, old, recent
    /// Internal date (the day, in the server's zone) before / on / since. RFC 9051 §6.4.4
    case before(IMAPDate), on(IMAPDate), since(IMAPDate)
    /// Date: header, ignoring time and zone.
    case sentBefore(IMAPDate), sentOn(IMAPDate), sentSince(IMAPDate)
    case larger(UInt64), smaller(UInt64)
    /// HEADER name value (name upper-cased); FROM/TO/CC/BCC/SUBJECT are HEADER with that name.
    case header(String, String)
    case body(String)
    case text(String)
    case sequence(SequenceSet)
    case uid(SequenceSet)
    case modSeq(UInt64)
    /// The message whose EMAILID / THREADID is this. RFC 8474 §6
    case emailID(String), threadID(String)
    /// Save date (the day, as BEFORE/ON/SINCE read the internal date). RFC 8514 §5
    case savedBefore(IMAPDate), savedOn(IMAPDate), savedSince(IMAPDate)
    /// Every message when the mailbox keeps save dates, none otherwise. RFC 8514 §5
    case saveDateSupported
    case not(SearchKey)
    case or(SearchKey, SearchKey)
    case and([SearchKey])
}

/// ESEARCH return options. RFC 4731 §3.1, RFC 5182 §2 (SAVE), RFC 9051 §6.4.4, and RFC 5267
/// §4 (CONTEXT=SEARCH): CONTEXT (§4.2, a hint), UPDATE (§4.3: keep the result and send
/// ADDTO/REMOVEFROM as it changes), `PARTIAL x:y` (§4.4: the x-th to y-th result, 1-based).
///
/// ```
/// search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" /
///                     "CONTEXT" / "UPDATE" / "PARTIAL" SP partial-range      ; RFC 5267 §5
/// partial-range     = nz-number ":" nz-number
/// ```
public enum SearchReturnOption: Sendable, Hashable {
    case min, max, all, count, save
    case context, update
    case partial(ClosedRange<UInt32>)
    /// `PARTIAL -x:-y`: counted from the last result (-1). RFC 9394 §3.1
    case partialLast(ClosedRange<UInt32>)
}

extension SearchReturnOption: PartialReturnOption {
    /// The PARTIAL range of either form, nil for the other options.
    public var partialRange: PartialRange? {
        switch self {
        case .partial(let r): return PartialRange(r)
        case .partialLast(let r): return PartialRange(r, fromEnd: true)
        default: return nil
        }
    }
}

/// A whole SEARCH command's arguments.
///
/// ```
/// search = "SEARCH" [search-return-opts] SP search-program
/// search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
/// search-program = ["CHARSET" SP charset SP] search-key *(SP search-key)
/// ```
public struct SearchProgram: Sendable, Hashable {
    /// The CHARSET, upper-cased, if given. Only UTF-8 and US-ASCII are accepted by the parser;
    /// any other is `IMAPSyntaxError.Kind.badCharset` (answered `NO [BADCHARSET (UTF-8 US-ASCII)]`).
    public var charset: String?
    /// nil: a plain SEARCH (answer `* SEARCH …`); otherwise ESEARCH with these options
    /// (`RETURN ()` means ALL, RFC 4731 §3.1).
    public var returnOptions: [SearchReturnOption]?
    /// The keys, ANDed (`.and` of the top-level list; a single key stands alone).
    public var key: SearchKey

    public init(charset: String? = nil, returnOptions: [SearchReturnOption]? = nil, key: SearchKey) {
        self.charset = charset
        self.returnOptions = returnOptions
        self.key = key
    }
}
