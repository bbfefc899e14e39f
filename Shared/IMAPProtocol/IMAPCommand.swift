/// A client command: its tag and what it asks. RFC 9051 §6.
///
/// ```
/// command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
/// ```
/// `C: a1 SELECT INBOX` is `IMAPCommand(tag: "a1", .select(.inbox, parameters: SelectParameters()))`.
public struct IMAPCommand: Sendable, Hashable {
    public var tag: String
    public var kind: Kind

    public init(tag: String, _ kind: Kind) {
        self.tag = tag
        self.kind = kind
    }

    public enum Kind: Sendable, Hashable {
        // Any state. RFC 9051 §6.1
        case capability
        case noop
        case logout
        /// ID: field/value pairs, nil for `ID NIL`. RFC 2971 §3.1
        case id([IDField]?)
        // Not authenticated. RFC 9051 §6.2
        case startTLS
        /// The SASL mechanism (upper-cased) and the initial response as sent: base64, or `=`
        /// for an empty one. RFC 9051 §6.2.2, RFC 4959 §3
        case authenticate(mechanism: String, initialResponse: String?)
        case login(user: String, password: String)
        // Authenticated. RFC 9051 §6.3
        /// Capability names, upper-cased. RFC 5161 §3.1
        case enable([String])
        /// SELECT/EXAMINE with their parameters (CONDSTORE, QRESYNC). RFC 9051 §6.3.2, RFC 7162 §3.1.8
        case select(MailboxName, parameters: SelectParameters)
        case examine(MailboxName, parameters: SelectParameters)
        case create(MailboxName)
        /// CREATE with `(USE (…))`: the special-use attributes asked for, with their
        /// backslash. RFC 6154 §3
        case createSpecialUse(MailboxName, uses: [String])
        case delete(MailboxName)
        case rename(from: MailboxName, to: MailboxName)
        case subscribe(MailboxName)
        case unsubscribe(MailboxName)
        /// LIST, basic and extended: selection options (upper-cased), reference, patterns
        /// (decoded like mailbox names), and the RETURN options (nil when absent). RFC 9051 §6.3.9, RFC 5258 §3
        case list(selectOptions: [String], reference: String, patterns: [String], returnOptions: ListReturnOptions?)
        case lsub(reference: String, pattern: String)
        case namespace
        /// STATUS with its item names, upper-cased. RFC 9051 §6.3.11
        case status(MailboxName, items: [String])
        /// APPEND: flags, internal date and the message (`binary` for literal8). RFC 9051 §6.3.12, RFC 3516 §4.4
        case append(MailboxName, flags: [Flag], date: IMAPDateTime?, message: [UInt8], binary: Bool)
        /// MULTIAPPEND: two or more messages in one APPEND, stored all or none (one message
        /// is `append`). RFC 3502 §6.3.11
        case multiAppend(MailboxName, [AppendMessage])
        case idle
        /// UNAUTHENTICATE: back to the not authenticated state (authenticated or selected).
        /// RFC 8437 §3
        case unauthenticate
        /// GETQUOTA, GETQUOTAROOT, SETQUOTA. RFC 9208 §4.1
        case quota(QuotaCommand)
        /// COMPRESS with its mechanism, upper-cased (only DEFLATE is defined). RFC 4978 §3
        case compress(String)
        // Selected. RFC 9051 §6.4
        case check
        case close
        case unselect
        case expunge
        /// UID EXPUNGE. RFC 9051 §6.4.9
        case uidExpunge(SequenceSet)
        /// FETCH / UID FETCH: the set, the attributes (macros expanded), the modifiers. RFC 9051 §6.4.5
        case fetch(SequenceSet, attributes: [FetchAttribute], modifiers: FetchModifiers, uid: Bool)
        /// STORE / UID STORE. RFC 9051 §6.4.6
        case store(SequenceSet, StoreArguments, uid: Bool)
        case copy(SequenceSet, MailboxName, uid: Bool)
        /// MOVE / UID MOVE. RFC 9051 §6.4.8, RFC 6851
        case move(SequenceSet, MailboxName, uid: Bool)
        /// SEARCH / UID SEARCH. RFC 9051 §6.4.4, RFC 4731, RFC 5182
        case search(SearchProgram, uid: Bool)
        /// SORT / UID SORT, with ESORT's RETURN. RFC 5256 §3, RFC 5267 §3.2
        case sort(SortProgram, uid: Bool)
        /// THREAD / UID THREAD. RFC 5256 §3
        case thread(ThreadProgram, uid: Bool)
        /// REPLACE / UID REPLACE: the message (a sequence number or UID) replaced by a new one
        /// appended to the mailbox. RFC 8508 §3.3, §3.4
        case replace(UInt32, MailboxName, AppendMessage, uid: Bool)
        /// CANCELUPDATE with the tags of the searches whose updates stop. RFC 5267 §4.3.5
        case cancelUpdate([String])
        /// RFC 4314 §3: SETACL, DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS (IMAPCommand+ACL.swift).
        case acl(ACLCommand)
        /// GETMETADATA: mailbox (`""` for the server), entries (lower-cased), options. RFC 5464 §4.2
        case getMetadata(MailboxName, entries: [String], options: MetadataOptions)
        /// SETMETADATA: entries and values, NIL removing. RFC 5464 §4.3
        case setMetadata(MailboxName, [MetadataEntryValue])
        /// NOTIFY SET (nil: NOTIFY NONE). RFC 5465 §3
        case notify(NotifySpec?)
    }

    /// One ID field and its value (nil for NIL). RFC 2971 §3.1
    public struct IDField: Sendable, Hashable {
        public var key: String
        public var value: String?
        public init(_ key: String, _ value: String?) {
            self.key = key
            self.value = value
        }
    }
}

/// One message of an APPEND: its flags, internal date and bytes (`binary` for literal8).
/// RFC 9051 §6.3.12, RFC 3502 §6.3.11, RFC 3516 §4.4
///
/// ```
/// C: a1 APPEND INBOX (\Seen) {310}
/// S: + Ready
/// C: …310 octets… "7-Feb-1994 22:43:04 -0800" {42}
/// ```
public struct AppendMessage: Sendable, Hashable {
    public var flags: [Flag]
    public var date: IMAPDateTime?
    public var message: [UInt8]
    public var binary: Bool
    /// CATENATE's parts, assembled by the server into the message (`message` is then empty).
    /// RFC 4469 §3
    public var catenate: [CatenatePart]?
    public init(flags: [Flag] = [], date: IMAPDateTime? = nil, message: [UInt8], binary: Bool = false, catenate: [CatenatePart]? = nil) {
        self.flags = flags
        self.date = date
        self.message = message
        self.binary = binary
        self.catenate = catenate
    }
}
