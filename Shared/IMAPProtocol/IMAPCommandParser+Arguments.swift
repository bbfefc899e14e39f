import LineFraming

/// APPEND and the selected-state commands with their UID variants. FETCH, STORE and SEARCH
/// arguments have their own files (`+Fetch`, `+Store`, `+Search`), as have LIST (`+List`)
/// and the SELECT/EXAMINE parameters (`+Select`).
extension IMAPCommandParser {
    /// ```
    /// append         = "APPEND" SP mailbox 1*append-message      ; RFC 3502 §6.3.11
    /// append-message = [SP flag-list] [SP date-time] SP append-data
    /// append-data    = literal / literal8 / append-data-ext       ; RFC 3516 §4.4
    /// append-data    =/ "UTF8" SP "(" literal8 ")"                 ; RFC 6855 §4
    /// append-data    =/ "CATENATE" SP "(" cat-part *(SP cat-part) ")"  ; RFC 4469 §5
    /// ```
    /// RFC 9051 §9. One message is `.append`, more `.multiAppend`; a CATENATE anywhere makes it
    /// `.multiAppend` even for one (the parts are assembled with the batch). The UTF8 form
    /// only after ENABLE UTF8=ACCEPT (RFC 6855 §4: else `BAD`), and it is a literal8.
    func append(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        let mailbox = try c.mailbox(utf8Enabled: utf8Enabled)
        var messages: [AppendMessage] = []
        repeat {
            try c.space()
            // IMAPClient's `multiappend` (4.x) sends two spaces between two literals in a row
            // (one after the literal, one before the next `{n}`): taken, as Dovecot's parser
            // takes runs of spaces. Only here, between messages.
            if !messages.isEmpty { while c.take(ByteClass.space) {} }
            messages.append(try appendMessage(&c))
        } while !c.atEnd
        if messages.count == 1, let only = messages.first, only.catenate == nil {
            return .append(mailbox, flags: only.flags, date: only.date, message: only.message, binary: only.binary)
        }
        return .multiAppend(mailbox, messages)
    }

    /// One append-message after its SP: flags, date, literal.
    func appendMessage(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> AppendMessage {
        var flags: [Flag] = []
        if c.peek == ByteClass.openParen {
            flags = try c.flagList()
            try c.space()
        }
        var date: IMAPDateTime?
        if c.peek == ByteClass.quote {
            date = try c.dateTime()
            try c.space()
        }
        if !c.atLiteral, c.take(keyword: "UTF8") {
            // RFC 6855 §4: the message may hold UTF-8 headers; only for a client that enabled it.
            guard utf8Enabled else { throw IMAPCursor.fail("APPEND UTF8 before ENABLE UTF8=ACCEPT") }
            try c.space()
            try c.open()
            let (message, _) = try c.literal(allowBinary: true)
            try c.close()
            return AppendMessage(flags: flags, date: date, message: message, binary: true)
        }
        if !c.atLiteral, c.take(keyword: "CATENATE") {
            try c.space()
            return AppendMessage(flags: flags, date: date, message: [], catenate: try catenateParts(&c))  // RFC 4469 §5
        }
        let (message, binary) = try c.literal(allowBinary: true)
        return AppendMessage(flags: flags, date: date, message: message, binary: binary)
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
        case "FETCH", "STORE", "COPY", "MOVE", "SEARCH", "SORT", "THREAD": return try selected(name, uid: true, &c)
        case "REPLACE": return try replace(uid: true, &c)  // RFC 8508 §3.4
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
    /// RFC 9051 §9, RFC 4466 §2 (modifiers), RFC 6851 §3 (MOVE).
    func selected(_ name: String, uid: Bool, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        if name == "SEARCH" { return .search(try searchProgram(&c), uid: uid) }
        if name == "SORT" { return .sort(try sortProgram(&c), uid: uid) }  // RFC 5256 §3
        if name == "THREAD" { return .thread(try threadProgram(&c), uid: uid) }
        try c.space()
        let set = try c.sequenceSet()
        switch name {
        case "COPY": return .copy(set, try mailboxArgument(&c), uid: uid)
        case "MOVE": return .move(set, try mailboxArgument(&c), uid: uid)
        case "STORE": return .store(set, try c.storeArguments(), uid: uid)
        default:
            let (attributes, modifiers) = try fetchArguments(uid: uid, &c)
            return .fetch(set, attributes: attributes, modifiers: modifiers, uid: uid)
        }
    }

    /// SP mailbox.
    func mailboxArgument(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> MailboxName {
        try c.space()
        return try c.mailbox(utf8Enabled: utf8Enabled)
    }
}
