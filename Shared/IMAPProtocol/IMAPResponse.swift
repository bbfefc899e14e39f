import InternetMessage

/// A server response, as data; `encoded(utf8Enabled:)` gives its bytes, CRLF included.
/// RFC 9051 §7, RFC 3501 §7, and the extensions' responses named below.
///
/// ```
/// S: * 3 EXISTS
/// S: * 2 FETCH (UID 7 FLAGS (\Seen) BODY[HEADER.FIELDS (SUBJECT)] {20}
/// S: Subject: Hello
/// S:
/// S: )
/// S: a1 OK [READ-WRITE] SELECT completed
/// ```
public enum IMAPResponse: Sendable, Hashable {
    /// `tag OK/NO/BAD [code] text`. RFC 9051 §7.1
    case tagged(String, IMAPStatus, ResponseCode?, String)
    /// `* OK/NO/BAD/PREAUTH/BYE [code] text`. RFC 9051 §7.1
    case untagged(IMAPStatus, ResponseCode?, String)
    /// `+ text` (or `+ base64` for a SASL challenge). RFC 9051 §7.6
    case continuation(String)
    /// `* CAPABILITY …`. RFC 9051 §7.2.2
    case capability([String])
    /// `* ENABLED …`. RFC 5161 §3.2
    case enabled([String])
    /// `* ID (…)` or `* ID NIL`. RFC 2971 §3.2
    case id([IMAPCommand.IDField]?)
    /// `* LIST (attributes) "/" name [extended items]`. RFC 9051 §7.3.1, RFC 5258 §3.5
    /// (CHILDINFO), RFC 9051 OLDNAME. `delimiter` nil encodes NIL.
    case list(ListEntry)
    /// `* LSUB (attributes) "/" name`. RFC 3501 §7.2.3
    case lsub(ListEntry)
    /// `* STATUS name (MESSAGES 3 UIDNEXT 9 …)`, items in the order given. RFC 9051 §7.3.3
    case status(MailboxName, [StatusItem])
    /// `* FLAGS (…)`. RFC 9051 §7.3.5
    case flags([String])
    /// `* n EXISTS`, `* n RECENT` (RFC 3501 only), `* n EXPUNGE`. RFC 9051 §7.4
    case exists(Int)
    case recent(Int)
    case expunge(Int)
    /// `* SEARCH 2 3 6 [(MODSEQ 917162500)]`. RFC 3501 §7.2.5, RFC 7162 §3.1.5
    case search([UInt32], modSeq: UInt64?)
    /// `* ESEARCH (TAG "a1") UID MIN 2 MAX 9 COUNT 4 ALL 2:4,9 MODSEQ 5`. RFC 4731 §3.1, RFC 9051 §7.3.4
    case esearch(ESearch)
    /// `* SORT 9 4 7 [(MODSEQ 917162500)]`. RFC 5256 §4, RFC 7162 §3.1.5
    case sort([UInt32], modSeq: UInt64?)
    /// `* THREAD (2)(3 6 (4 23)(44 7 96))`. RFC 5256 §4
    case thread([ThreadTree])
    /// `* n FETCH (…)`. RFC 9051 §7.5.2
    case fetch(Int, [FetchItem])
    /// `* VANISHED [(EARLIER)] uid-set`. RFC 7162 §3.2.10
    case vanished(earlier: Bool, uids: [UInt32])
    /// `* NAMESPACE ((prefix delim)) NIL NIL`. RFC 2342 §5, RFC 9051 §7.3.2
    case namespace(personal: [Namespace], other: [Namespace], shared: [Namespace])
    /// QUOTA and QUOTAROOT. RFC 9208 §4.2
    case quota(QuotaResponse)
    /// `* ACL`, `* LISTRIGHTS`, `* MYRIGHTS`. RFC 4314 §3.6–3.8 (IMAPResponse+ACL.swift)
    case acl(ACLResponse)
    /// `* METADATA mailbox (entry value …)`. RFC 5464 §4.4.1
    case metadata(MailboxName, [MetadataEntryValue])
    /// `* METADATA mailbox entry …`: entries that changed, unsolicited. RFC 5464 §4.4.2
    case metadataChanged(MailboxName, [String])
}

public enum IMAPStatus: String, Sendable, Hashable {
    case ok = "OK", no = "NO", bad = "BAD", preauth = "PREAUTH", bye = "BYE"
}

/// Response codes. RFC 9051 §7.1, RFC 4315 (APPENDUID, COPYUID, UIDNOTSTICKY), RFC 7162
/// (HIGHESTMODSEQ, NOMODSEQ, MODIFIED, CLOSED), RFC 5530 (the rest), RFC 5182 (NOTSAVED),
/// RFC 4469/RFC 7889 TOOBIG.
public enum ResponseCode: Sendable, Hashable {
    case alert
    case alreadyExists
    /// `[APPENDUID uidvalidity uid-set]`
    case appendUID(uidValidity: UInt32, uids: [UInt32])
    case authenticationFailed
    case authorizationFailed
    /// `[BADCHARSET (UTF-8 US-ASCII)]`
    case badCharset([String])
    case cannot
    case capability([String])
    case clientBug
    case closed
    case contactAdmin
    /// `[COPYUID uidvalidity source-set dest-set]`, sets in the order of the mapping.
    case copyUID(uidValidity: UInt32, source: [UInt32], destination: [UInt32])
    case corruption
    case expired
    case expungeIssued
    case hasChildren
    case highestModSeq(UInt64)
    case inUse
    case limit
    /// `[MODIFIED set]`: sequence numbers (STORE) or UIDs (UID STORE).
    case modified([UInt32])
    case noModSeq
    case nonexistent
    case noPerm
    case notSaved
    case overQuota
    case parse
    case permanentFlags([String])
    case privacyRequired
    case readOnly
    case readWrite
    case serverBug
    case tooBig
    case tryCreate
    case uidNext(UInt32)
    case uidNotSticky
    case uidValidity(UInt32)
    case unavailable
    case unknownCTE
    /// `[UNSEEN n]`: first unseen sequence number (RFC 3501 SELECT).
    case unseen(Int)
    /// `[NOUPDATE "tag"]`: the search's UPDATE is refused, its other options answered. RFC 5267 §4.3.1
    case noUpdate(String)
    /// `[MAILBOXID (F2212ea87-6097-4256-9d51-71338625)]` on SELECT, EXAMINE and CREATE. RFC 8474 §4
    case mailboxID(String)
    /// `[USEATTR]`: CREATE's special use is not supported or cannot be given. RFC 6154 §3, §6
    case useAttr
    /// `[COMPRESSIONACTIVE]`: a second COMPRESS on a compressed connection. RFC 4978 §3
    case compressionActive
    /// `[BADURL url]`: a CATENATE URL that names nothing this user may read. RFC 4469 §5
    case badURL(String)
    /// `[INPROGRESS ("tag" done total)]`: a long command is still running; each nil is NIL.
    /// RFC 9585 §3
    case inProgress(tag: String?, done: Int?, total: Int?)
    /// `[METADATA …]`. RFC 5464 §4.2.1, §4.3
    case metadata(MetadataCode)
    /// `[BADEVENT (MessageNew …)]`: the events the server supports. RFC 5465 §5
    case badEvent([String])
    /// `[NOTIFICATIONOVERFLOW]`: notifications stopped, as after NOTIFY NONE. RFC 5465 §5.8
    case notificationOverflow
}

/// One mailbox in a LIST/LSUB answer.
public struct ListEntry: Sendable, Hashable {
    /// With their backslash: `\HasNoChildren`, `\Sent`, `\Subscribed`, `\NonExistent`…
    public var attributes: [String]
    public var delimiter: Character?
    public var name: MailboxName
    /// RFC 5258 §3.5 CHILDINFO: `("CHILDINFO" ("SUBSCRIBED"))`; empty when none.
    public var childInfo: [String]
    /// RFC 9051 §7.3.1 / RFC 5465 §5.4 OLDNAME: the name a renamed mailbox had.
    public var oldName: MailboxName?
    public init(attributes: [String], delimiter: Character? = "/", name: MailboxName, childInfo: [String] = [], oldName: MailboxName? = nil)
    {
        self.attributes = attributes
        self.delimiter = delimiter
        self.name = name
        self.childInfo = childInfo
        self.oldName = oldName
    }
}

/// One STATUS item: `MESSAGES 3`. Names upper-cased. RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ.
public struct StatusItem: Sendable, Hashable {
    public var name: String
    public var value: UInt64
    /// For `MAILBOXID (id)` (RFC 8474 §4.2), which is not a number: the id, and `value` unused.
    public var objectID: String?
    public init(_ name: String, _ value: UInt64) {
        self.name = name
        self.value = value
    }
    /// `MAILBOXID (F…)`. RFC 8474 §4.2
    public init(mailboxID: String) {
        self.name = "MAILBOXID"
        self.value = 0
        self.objectID = mailboxID
    }
}

/// An ESEARCH answer. Only the items asked for are set. RFC 4731 §3.1
public struct ESearch: Sendable, Hashable {
    public var tag: String?
    public var uid: Bool
    public var min: UInt32?
    public var max: UInt32?
    public var count: Int?
    /// Encoded as a compact set (`2:4,9`); omitted when nil or empty.
    public var all: [UInt32]?
    public var modSeq: UInt64?
    /// ALL in the order given (ESORT, RFC 5267 §3.2: the sort order), not as a sorted set.
    public var allInOrder: Bool
    /// `PARTIAL (x:y set)`: the range asked for and the numbers in it, in result order (NIL
    /// when none). RFC 5267 §4.4
    public var partial: (range: ClosedRange<UInt32>, numbers: [UInt32])? {
        get { partialRange.map { ($0, partialNumbers) } }
        set {
            partialRange = newValue?.range
            partialNumbers = newValue?.numbers ?? []
        }
    }
    private var partialRange: ClosedRange<UInt32>?
    private var partialNumbers: [UInt32] = []
    /// The PARTIAL range asked for was counted from the end (`-1:-100`). RFC 9394 §3.1
    public var partialFromEnd = false
    /// ADDTO and REMOVEFROM of an updating context, in the order the client applies them.
    /// RFC 5267 §4.3.2
    public var updates: [ContextUpdate] = []
    public init(
        tag: String?, uid: Bool, min: UInt32? = nil, max: UInt32? = nil, count: Int? = nil, all: [UInt32]? = nil, modSeq: UInt64? = nil,
        allInOrder: Bool = false
    ) {
        self.tag = tag
        self.uid = uid
        self.min = min
        self.max = max
        self.count = count
        self.all = all
        self.modSeq = modSeq
        self.allInOrder = allInOrder
    }
}

/// One ADDTO or REMOVEFROM item: a context position and the numbers (sequence numbers or UIDs)
/// inserted there or removed from there, in result order. Position 0 (SEARCH contexts only):
/// wherever they fall in mailbox order. RFC 5267 §4.3.3, §4.3.4
///
/// `S: * ESEARCH (TAG "a1") UID ADDTO (3 12,9) REMOVEFROM (0 4:5)`
public struct ContextUpdate: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case addTo = "ADDTO", removeFrom = "REMOVEFROM"
    }
    public var kind: Kind
    public var position: UInt32
    public var numbers: [UInt32]
    public init(_ kind: Kind, position: UInt32, _ numbers: [UInt32]) {
        self.kind = kind
        self.position = position
        self.numbers = numbers
    }
}

/// A NAMESPACE entry: prefix and hierarchy delimiter. RFC 2342 §5
public struct Namespace: Sendable, Hashable {
    public var prefix: String
    public var delimiter: Character?
    public init(prefix: String, delimiter: Character?) {
        self.prefix = prefix
        self.delimiter = delimiter
    }
}

/// One item of a FETCH response. RFC 9051 §7.5.2
public enum FetchItem: Sendable, Hashable {
    case uid(UInt32)
    case flags([String])
    /// Seconds since 1970; encoded `"17-Jul-1996 02:44:25 +0000"` (UTC).
    case internalDate(Double)
    case rfc822Size(Int)
    case modSeq(UInt64)
    case envelope(Envelope)
    /// BODY (extended: false) or BODYSTRUCTURE (extended: true) of a message's root part.
    case bodyStructure(MessagePart, extended: Bool)
    /// `BODY[section]<offset> data`: data as a literal (nil encodes NIL). `offset` is the
    /// partial's origin, given when a partial was asked for.
    case section(SectionSpec, offset: UInt32?, data: [UInt8]?)
    case rfc822([UInt8])
    case rfc822Header([UInt8])
    case rfc822Text([UInt8])
    /// `BINARY[part]<offset> data`: a literal8 (`~{n}`) when data holds NUL. RFC 3516 §4.2
    case binary(part: [Int], offset: UInt32?, data: [UInt8]?)
    case binarySize(part: [Int], Int)
    /// `EMAILID (M6d99ac3275bb4e)`. RFC 8474 §5.1
    case emailID(String)
    /// `THREADID (T64b478a75b7ea9)`, or `THREADID NIL` when the message has none. RFC 8474 §5.2
    case threadID(String?)
    /// `SAVEDATE "…"` (seconds since 1970) or `SAVEDATE NIL`. RFC 8514 §4.1
    case saveDate(Double?)
    /// `PREVIEW "text"`, or NIL when not computed (LAZY). RFC 8970 §3.1
    case preview(String?)
}
