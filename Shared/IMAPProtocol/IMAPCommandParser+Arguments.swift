/// The commands with longer argument grammars: LIST, APPEND and the selected-state commands
/// with their UID variants.
extension IMAPCommandParser {
    /// ```
    /// list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
    /// list-select-opts = "(" [list-select-option *(SP list-select-option)] ")"
    /// mbox-or-pat      = list-mailbox / patterns
    /// patterns         = "(" list-mailbox *(SP list-mailbox) ")"
    /// list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
    /// ```
    /// RFC 9051 §9, RFC 5258 §6. Selection options are atoms here (option values, RFC 5258
    /// §6 `option-extension`, are not parsed yet); return options are kept raw.
    func list(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        var selectOptions: [String] = []
        if c.peek == IMAPByteClass.openParen {
            try c.open()
            if c.peek != IMAPByteClass.closeParen {
                repeat { selectOptions.append(try c.keyword()) } while c.take(IMAPByteClass.space)
            }
            try c.close()
            try c.space()
        }
        let reference = try referenceName(c.astring())
        try c.space()
        var patterns: [String] = []
        if c.peek == IMAPByteClass.openParen {
            try c.open()
            repeat { patterns.append(try referenceName(c.listMailbox())) } while c.take(IMAPByteClass.space)
            try c.close()
        } else {
            patterns.append(try referenceName(c.listMailbox()))
        }
        var returnOptions: [IMAPRawPiece] = []
        if c.take(IMAPByteClass.space) {
            guard try c.keyword() == "RETURN" else { throw IMAPCursor.fail("expected RETURN") }
            try c.space()
            returnOptions = try c.rest()
            guard case .text(let text) = returnOptions.first, text.first == IMAPByteClass.openParen else {
                throw IMAPCursor.fail("expected ( after RETURN")
            }
        }
        return .list(selectOptions: selectOptions, reference: reference, patterns: patterns, returnOptions: returnOptions)
    }

    /// A LIST reference or pattern: decoded like a mailbox name, but `inbox` keeps its case
    /// (it is a pattern, not a name). RFC 9051 §6.3.9
    func referenceName(_ bytes: [UInt8]) throws(IMAPSyntaxError) -> String {
        let decoded = try MailboxName(wire: bytes, utf8Enabled: utf8Enabled).name
        return decoded == "INBOX" ? String(decoding: bytes, as: UTF8.self) : decoded
    }

    /// ```
    /// append      = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
    /// append-data = literal / literal8 / append-data-ext          ; RFC 3516 §4.4
    /// ```
    /// RFC 9051 §9. MULTIAPPEND (RFC 3502) and CATENATE (RFC 4469) are not parsed yet.
    func append(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        let mailbox = try c.mailbox(utf8Enabled: utf8Enabled)
        try c.space()
        var flags: [Flag] = []
        if c.peek == IMAPByteClass.openParen {
            flags = try c.flagList()
            try c.space()
        }
        var date: IMAPDateTime?
        if c.peek == IMAPByteClass.quote {
            date = try c.dateTime()
            try c.space()
        }
        let (message, binary) = try c.literal(allowBinary: true)
        return .append(mailbox, flags: flags, date: date, message: message, binary: binary)
    }

    /// uid = "UID" SP ("COPY" / "MOVE" / "FETCH" / "SEARCH" / "STORE" / "EXPUNGE") …  RFC 9051 §6.4.9
    func uid(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        let name = try c.keyword()
        switch name {
        case "EXPUNGE":
            // uid-expunge = "UID EXPUNGE" SP sequence-set. RFC 9051 §9
            try c.space()
            return .uidExpunge(try c.sequenceSet())
        case "FETCH", "STORE", "COPY", "MOVE", "SEARCH": return try selected(name, uid: true, &c)
        default: throw IMAPSyntaxError(.unknownCommand, "unknown UID command")
        }
    }

    /// ```
    /// fetch  = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
    ///          "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
    /// store  = "STORE" SP sequence-set [store-modifiers] SP store-att-flags
    /// copy   = "COPY" SP sequence-set SP mailbox
    /// move   = "MOVE" SP sequence-set SP mailbox
    /// search = "SEARCH" [search-return-opts] SP search-program
    /// ```
    /// RFC 9051 §9. Fetch attributes, store arguments and search programs are kept raw.
    func selected(_ name: String, uid: Bool, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        if name == "SEARCH" {
            let keys = try c.rest()
            guard !keys.isEmpty else { throw IMAPCursor.fail("no search keys") }
            return .search(keys: keys, uid: uid)
        }
        let set = try c.sequenceSet()
        switch name {
        case "COPY": return .copy(set, try mailboxArgument(&c), uid: uid)
        case "MOVE": return .move(set, try mailboxArgument(&c), uid: uid)
        default:
            try c.space()
            let arguments = try c.rest()
            guard !arguments.isEmpty else { throw IMAPCursor.fail("no \(name) arguments") }
            return name == "FETCH" ? .fetch(set, attributes: arguments, uid: uid) : .store(set, arguments: arguments, uid: uid)
        }
    }

    /// SP mailbox.
    func mailboxArgument(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> MailboxName {
        try c.space()
        return try c.mailbox(utf8Enabled: utf8Enabled)
    }
}
