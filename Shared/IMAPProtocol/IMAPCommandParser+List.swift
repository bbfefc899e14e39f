import LineFraming

/// LIST, basic and extended, with its RETURN options: parser and encoder.
///
/// ```
/// C: a1 LIST "" "*" RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))
/// ```
extension IMAPCommandParser {
    /// ```
    /// list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
    /// list-select-opts = "(" [list-select-option *(SP list-select-option)] ")"
    /// mbox-or-pat      = list-mailbox / patterns
    /// patterns         = "(" list-mailbox *(SP list-mailbox) ")"
    /// ```
    /// RFC 9051 §9, RFC 5258 §6. Selection options are atoms here (option values, RFC 5258
    /// §6 `option-extension`, are not parsed yet).
    func list(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        var selectOptions: [String] = []
        if c.peek == ByteClass.openParen {
            try c.open()
            if c.peek != ByteClass.closeParen {
                repeat { selectOptions.append(try c.keyword()) } while c.take(ByteClass.space)
            }
            try c.close()
            try c.space()
        }
        let reference = try referenceName(c.astring())
        try c.space()
        var patterns: [String] = []
        if c.peek == ByteClass.openParen {
            try c.open()
            repeat { patterns.append(try referenceName(c.listMailbox())) } while c.take(ByteClass.space)
            try c.close()
        } else {
            patterns.append(try referenceName(c.listMailbox()))
        }
        var returnOptions: ListReturnOptions?
        if c.take(ByteClass.space) { returnOptions = try c.listReturnOptions() }
        return .list(selectOptions: selectOptions, reference: reference, patterns: patterns, returnOptions: returnOptions)
    }

    /// A LIST reference or pattern: decoded like a mailbox name, but `inbox` keeps its case
    /// (it is a pattern, not a name). RFC 9051 §6.3.9
    func referenceName(_ bytes: [UInt8]) throws(IMAPSyntaxError) -> String {
        let decoded = try MailboxName(wire: bytes, utf8Enabled: utf8Enabled).name
        return decoded == "INBOX" ? String(decoding: bytes, as: UTF8.self) : decoded
    }
}

extension IMAPCursor {
    /// ```
    /// list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
    /// return-option    = "SUBSCRIBED" / "CHILDREN" / status-option / "SPECIAL-USE" / option-extension
    /// status-option    = "STATUS" SP "(" status-att *(SP status-att) ")"
    /// ```
    /// RFC 5258 §6, RFC 5819 §2 (STATUS), RFC 6154 §6 (SPECIAL-USE). An option we do not
    /// know is `BAD`: the client would otherwise wait for data that never comes. STATUS
    /// item names are checked by the session, as for the STATUS command.
    mutating func listReturnOptions() throws(IMAPSyntaxError) -> ListReturnOptions {
        guard take(keyword: "RETURN") else { throw Self.fail("expected RETURN") }
        try space()
        try open()
        var options = ListReturnOptions()
        if peek != ByteClass.closeParen {
            repeat {
                switch try keyword() {
                case "SUBSCRIBED": options.subscribed = true
                case "CHILDREN": options.children = true
                case "SPECIAL-USE": options.specialUse = true  // RFC 6154 §6
                case "MYRIGHTS": options.myRights = true  // RFC 8440 §3
                case "STATUS":  // RFC 5819 §2
                    guard options.status == nil else { throw Self.fail("STATUS given twice") }
                    try space()
                    try open()
                    var items: [String] = []
                    repeat { items.append(try keyword()) } while take(ByteClass.space)
                    try close()
                    options.status = items
                default: throw Self.fail("unknown LIST return option")
                }
            } while take(ByteClass.space)
        }
        try close()
        return options
    }
}

extension ListReturnOptions {
    /// `RETURN (SUBSCRIBED CHILDREN SPECIAL-USE STATUS (MESSAGES))`; `RETURN ()` when none is set.
    public var encoded: [UInt8] {
        var options: [String] = []
        if subscribed { options.append("SUBSCRIBED") }
        if children { options.append("CHILDREN") }
        if specialUse { options.append("SPECIAL-USE") }
        if let status { options.append("STATUS (\(status.joined(separator: " ")))") }
        if myRights { options.append("MYRIGHTS") }
        return Array("RETURN (\(options.joined(separator: " ")))".utf8)
    }
}
