/// The bytes of every server response, CRLF included. RFC 9051 §7, RFC 3501 §7.
///
/// ```
/// response-data   = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data /
///                   message-data / capability-data / enable-data) CRLF
/// response-tagged = tag SP resp-cond-state CRLF
/// continue-req    = "+" SP (resp-text / base64) CRLF
/// resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
/// resp-text       = ["[" resp-text-code "]" SP] [text]       ; RFC 3501: text required
/// ```
/// ```
/// S: * OK [UIDVALIDITY 3857529045] UIDs valid
/// S: a1 OK [READ-WRITE] SELECT completed
/// S: + Ready for literal data
/// ```
/// Mailbox names follow the session: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 once
/// `utf8Enabled` (RFC 6855 §3, IMAP4rev2 RFC 9051 §5.1). Data items are in
/// `FetchItem+Encoding.swift`, codes in `ResponseCode+Encoding.swift`.
///
/// Free text (status and continuation texts) is sanitized, so no value can end the line
/// early. What the grammar needs from the caller is not checked: a FETCH needs at least one
/// item and VANISHED at least one UID (RFC 9051 §9 `msg-att`, RFC 7162 `known-uids`),
/// PREAUTH belongs only in the greeting, and tagged responses are only OK, NO or BAD.
extension IMAPResponse {
    public func encoded(utf8Enabled: Bool = false) -> [UInt8] {
        var w = ResponseWriter(utf8Enabled: utf8Enabled)
        switch self {
        case .tagged(let tag, let status, let code, let text):
            w.atom(tag)
            w.space()
            Self.statusLine(&w, status, code, text)
        case .untagged(let status, let code, let text):
            w.atom("* ")
            Self.statusLine(&w, status, code, text)
        case .continuation(let text):
            // RFC 9051 §7.6: "+" SP, then text or base64 (empty for an empty SASL challenge).
            w.atom("+ ")
            w.text(text)
        case .capability(let names):
            // capability-data = "CAPABILITY" *(SP capability). RFC 9051 §7.2.2
            w.atom((["* CAPABILITY"] + names).joined(separator: " "))
        case .enabled(let names):
            // enable-data = "ENABLED" *(SP capability). RFC 5161 §4
            w.atom((["* ENABLED"] + names).joined(separator: " "))
        case .id(let fields):
            w.atom("* ID ")
            Self.idParameters(&w, fields)
        case .list(let entry):
            w.atom("* LIST ")
            Self.mailboxList(&w, entry, extended: true)
        case .lsub(let entry):
            w.atom("* LSUB ")
            Self.mailboxList(&w, entry, extended: false)
        case .status(let name, let items):
            // "STATUS" SP mailbox SP "(" [status-att-list] ")". RFC 9051 §7.3.3
            w.atom("* STATUS ")
            w.raw(name.encoded(utf8Enabled: utf8Enabled))
            w.space()
            w.list(items) { w, item in
                if let id = item.objectID { return w.atom("\(item.name) (\(id))") }  // RFC 8474 §4.2
                w.atom("\(item.name) \(item.value)")
            }
        case .flags(let flags):
            // "FLAGS" SP flag-list. RFC 9051 §7.3.5
            w.atom("* FLAGS ")
            w.atomList(flags)
        case .exists(let count):
            w.atom("* \(count) EXISTS")  // RFC 9051 §7.4.1
        case .recent(let count):
            w.atom("* \(count) RECENT")  // RFC 3501 §7.3.2
        case .expunge(let number):
            w.atom("* \(number) EXPUNGE")  // RFC 9051 §7.5.1
        case .search(let numbers, let modSeq):
            // "SEARCH" *(SP nz-number) [SP "(" "MODSEQ" SP mod-sequence-value ")"].
            // RFC 3501 §7.2.5; RFC 7162 §3.1.5: the MODSEQ only follows at least one number.
            w.atom("* SEARCH")
            for number in numbers { w.atom(" \(number)") }
            if let modSeq, !numbers.isEmpty { w.atom(" (MODSEQ \(modSeq))") }
        case .esearch(let result):
            Self.esearch(&w, result)
        case .sort(let numbers, let modSeq):
            // sort-data = "SORT" *(SP nz-number) [SP search-sort-mod-seq]. RFC 5256 §5, RFC 7162 §7
            w.atom("* SORT")
            for number in numbers { w.atom(" \(number)") }
            if let modSeq, !numbers.isEmpty { w.atom(" (MODSEQ \(modSeq))") }
        case .thread(let threads):
            // thread-data = "THREAD" [SP 1*thread-list]. RFC 5256 §5
            w.atom(threads.isEmpty ? "* THREAD" : "* THREAD ")
            for thread in threads { Self.threadList(&w, thread) }
        case .fetch(let number, let items):
            // nz-number SP "FETCH" SP msg-att; msg-att = "(" item *(SP item) ")". RFC 9051 §7.5.2
            w.atom("* ")
            w.number(number)
            w.atom(" FETCH ")
            w.list(items) { w, item in item.write(to: &w) }
        case .vanished(let earlier, let uids):
            // "VANISHED" [SP "(EARLIER)"] SP known-uids. RFC 7162 §3.2.10
            w.atom(earlier ? "* VANISHED (EARLIER) " : "* VANISHED ")
            w.atom(UIDSetCompression.sorted(uids))
        case .namespace(let personal, let other, let shared):
            // "NAMESPACE" SP namespace SP namespace SP namespace. RFC 9051 §7.3.2, RFC 2342 §5
            w.atom("* NAMESPACE ")
            Self.namespaces(&w, personal)
            w.space()
            Self.namespaces(&w, other)
            w.space()
            Self.namespaces(&w, shared)
        case .quota(let response):
            response.encode(&w, utf8Enabled: utf8Enabled)
        case .acl(let data):
            data.encode(&w)
        case .metadata(let name, let values):
            Self.writeMetadata(&w, name, values, [])
        case .metadataChanged(let name, let entries):
            Self.writeMetadata(&w, name, nil, entries)
        }
        w.crlf()
        return w.bytes
    }

    /// `status SP ["[" resp-text-code "]" SP] text`. RFC 9051 §7.1
    private static func statusLine(_ w: inout ResponseWriter, _ status: IMAPStatus, _ code: ResponseCode?, _ text: String) {
        w.atom(status.rawValue)
        w.space()
        if let code {
            w.atom("[")
            w.raw(code.encoded)
            w.atom("] ")
        }
        // RFC 3501 §9 requires at least one TEXT-CHAR; RFC 9051 allows none. Say something
        // so IMAP4rev1 parsers never meet an empty text.
        w.text(text.isEmpty ? status.defaultText : text)
    }

    /// `id_params_list ::= "(" #(string SPACE nstring) ")" / nil`. RFC 2971 §3.2; an empty
    /// list goes as NIL, which every client reads.
    private static func idParameters(_ w: inout ResponseWriter, _ fields: [IMAPCommand.IDField]?) {
        w.list(fields ?? [], nilWhenEmpty: true) { w, field in
            w.string(field.key)
            w.space()
            w.nstring(field.value)
        }
    }

    /// ```
    /// mailbox-list       = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    ///                      [SP mbox-list-extended]                                   ; RFC 9051 §9
    /// mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
    /// mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
    /// childinfo-extended-item = "CHILDINFO" SP "(" list-select-base-opt-quoted
    ///                           *(SP list-select-base-opt-quoted) ")"            ; RFC 5258 §5
    /// ```
    /// `* LIST (\HasChildren) "/" Foo ("CHILDINFO" ("SUBSCRIBED"))`
    private static func mailboxList(_ w: inout ResponseWriter, _ entry: ListEntry, extended: Bool) {
        w.atomList(entry.attributes)
        w.space()
        if let delimiter = entry.delimiter {
            w.raw(IMAPString.quoted(Array(String(delimiter).utf8)))
        } else {
            w.nilAtom()
        }
        w.space()
        w.raw(entry.name.encoded(utf8Enabled: w.utf8Enabled))
        guard extended, !entry.childInfo.isEmpty || entry.oldName != nil else { return }
        w.atom(" (")
        if !entry.childInfo.isEmpty {
            w.atom("\"CHILDINFO\" ")
            w.list(entry.childInfo) { w, option in w.raw(IMAPString.quoted(Array(option.utf8))) }
        }
        // "OLDNAME" SP "(" mailbox ")". RFC 9051 §9 (oldname-extended-item), RFC 5465 §5.4
        if let oldName = entry.oldName {
            if !entry.childInfo.isEmpty { w.space() }
            w.atom("\"OLDNAME\" (")
            w.raw(oldName.encoded(utf8Enabled: w.utf8Enabled))
            w.close()
        }
        w.close()
    }

    /// ```
    /// esearch-response  = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
    /// search-correlator = SP "(" "TAG" SP tag-string ")"
    /// search-return-data = "MIN" SP nz-number / "MAX" SP nz-number / "ALL" SP sequence-set /
    ///                      "COUNT" SP number / "MODSEQ" SP mod-sequence-value
    /// ```
    /// RFC 4731 §3.1, RFC 9051 §7.3.4, RFC 7162 §3.1.5, RFC 5267 §4.3 (ADDTO, REMOVEFROM) and §4.4
    /// (PARTIAL). `* ESEARCH (TAG "a1") UID MIN 1 MAX 9 COUNT 3 ALL 1:3,9 MODSEQ 5`
    private static func esearch(_ w: inout ResponseWriter, _ result: ESearch) {
        w.atom("* ESEARCH")
        if let tag = result.tag {
            w.atom(" (TAG ")
            w.raw(IMAPString.quoted(Array(tag.utf8)))
            w.close()
        }
        if result.uid { w.atom(" UID") }
        if let min = result.min { w.atom(" MIN \(min)") }
        if let max = result.max { w.atom(" MAX \(max)") }
        if let count = result.count { w.atom(" COUNT \(count)") }
        if let all = result.all, !all.isEmpty {
            w.atom(" ALL \(result.allInOrder ? UIDSetCompression.ordered(all) : UIDSetCompression.sorted(all))")
        }
        // "PARTIAL" SP "(" partial-range SP partial-results ")"; partial-results = sequence-set / "NIL". RFC 5267 §5
        if let partial = result.partial {
            let numbers = partial.numbers.isEmpty ? "NIL" : UIDSetCompression.ordered(partial.numbers)
            let range = PartialRange(partial.range, fromEnd: result.partialFromEnd).encoded
            w.atom(" PARTIAL (\(range) \(numbers))")
        }
        if let modSeq = result.modSeq { w.atom(" MODSEQ \(modSeq)") }
        // ret-data-addto = "ADDTO" SP "(" context-position SP sequence-set *(…) ")", and
        // REMOVEFROM alike. RFC 5267 §5. Position 0 is mailbox order (§4.3.3), so a set; a
        // position is the result's order, so ranges only where it ascends (§3.2).
        for update in result.updates where !update.numbers.isEmpty {
            let numbers = update.position == 0 ? UIDSetCompression.sorted(update.numbers) : UIDSetCompression.ordered(update.numbers)
            w.atom(" \(update.kind.rawValue) (\(update.position) \(numbers))")
        }
    }

    /// ```
    /// thread-list    = "(" (thread-members / thread-nested) ")"
    /// thread-members = nz-number *(SP nz-number) [SP thread-nested]
    /// thread-nested  = 2*thread-list
    /// ```
    /// RFC 5256 §5: a chain of single replies is a run of numbers (`3 6`), several replies each
    /// a list (`3 6 (4 23)(44 7 96)`), a missing parent only its children (`((1)(2))`).
    private static func threadList(_ w: inout ResponseWriter, _ tree: ThreadTree) {
        w.open()
        threadMembers(&w, tree)
        w.close()
    }

    private static func threadMembers(_ w: inout ResponseWriter, _ tree: ThreadTree) {
        var node = tree
        var wroteNumber = false
        while true {
            if let number = node.number {
                if wroteNumber { w.space() }
                w.number(number)
                wroteNumber = true
            }
            if node.children.count == 1 {
                node = node.children[0]
                continue
            }
            if !node.children.isEmpty {
                if wroteNumber { w.space() }
                for child in node.children { threadList(&w, child) }
            }
            return
        }
    }

    /// ```
    /// namespace         = nil / "(" 1*namespace-descr ")"
    /// namespace-descr   = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) ")"
    /// ```
    /// RFC 9051 §7.3.2, RFC 2342 §5. Prefixes are encoded like mailbox names.
    private static func namespaces(_ w: inout ResponseWriter, _ list: [Namespace]) {
        guard !list.isEmpty else { return w.nilAtom() }
        w.open()
        for namespace in list {
            w.open()
            let prefix = w.utf8Enabled ? Array(namespace.prefix.utf8) : ModifiedUTF7.encode(namespace.prefix)
            w.raw(IMAPString.responseString(prefix, utf8Enabled: w.utf8Enabled))
            w.space()
            if let delimiter = namespace.delimiter {
                w.raw(IMAPString.quoted(Array(String(delimiter).utf8)))
            } else {
                w.nilAtom()
            }
            w.close()
        }
        w.close()
    }
}

extension IMAPStatus {
    /// The text sent when a response is given none (RFC 3501 §9 `text` is 1*TEXT-CHAR).
    var defaultText: String {
        switch self {
        case .ok: return "Completed"
        case .no: return "Failed"
        case .bad: return "Invalid command"
        case .preauth: return "Logged in"
        case .bye: return "Logging out"
        }
    }
}
