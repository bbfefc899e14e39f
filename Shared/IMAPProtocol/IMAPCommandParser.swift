import LineFraming

/// Parses one framed command (see `IMAPCommandReader`) into an `IMAPCommand`.
///
/// ```
/// command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
/// tag     = 1*<any ASTRING-CHAR except "+">
/// ```
/// ```
/// C: a1 LOGIN alice {6}
/// C: secret
/// ```
/// Command names and keywords are case-insensitive (RFC 9051 §9). Strict about spacing:
/// exactly one SP between arguments, as the grammar says and clients do. Which command is
/// legal in which state is the session's table, not the parser's.
public struct IMAPCommandParser: Sendable {
    /// Whether the client has enabled UTF8=ACCEPT: mailbox names are UTF-8. RFC 6855 §3
    public var utf8Enabled: Bool
    /// Parentheses nesting cap. `IMAPDefaults.nestingDepth`
    public var maxDepth: Int
    /// Search key nesting cap (NOT, OR, parentheses). `IMAPDefaults.searchKeyDepth`
    public var maxSearchKeyDepth: Int

    public init(
        utf8Enabled: Bool = false,
        maxDepth: Int = IMAPDefaults.nestingDepth,
        maxSearchKeyDepth: Int = IMAPDefaults.searchKeyDepth
    ) {
        self.utf8Enabled = utf8Enabled
        self.maxDepth = maxDepth
        self.maxSearchKeyDepth = maxSearchKeyDepth
    }

    /// Parses a framed command.
    public func parse(_ framed: IMAPFramedCommand) -> Result<IMAPCommand, IMAPSyntaxError> {
        var cursor = IMAPCursor(framed, maxDepth: maxDepth)
        guard let tagBytes = try? cursor.run("a tag", ByteClass.isTagChar), tagBytes.count <= IMAPDefaults.tagLength,
            cursor.take(ByteClass.space)
        else { return .failure(IMAPSyntaxError(.noTag, "no tag")) }
        let tag = String(decoding: tagBytes, as: UTF8.self)
        do throws(IMAPSyntaxError) {
            guard let name = try? cursor.keyword() else { throw IMAPSyntaxError(.unknownCommand, "no command name") }
            let kind = try parseKind(name, &cursor)
            try cursor.end()
            return .success(IMAPCommand(tag: tag, kind))
        } catch {
            var error = error
            error.tag = tag
            return .failure(error)
        }
    }

    /// Parses one command given as text (no literals), for tests and tools.
    public func parse(_ line: String) -> Result<IMAPCommand, IMAPSyntaxError> {
        parse(IMAPFramedCommand(lines: [Array(line.utf8)]))
    }

    private func parseKind(_ name: String, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        switch name {
        case "CAPABILITY": return .capability  // RFC 9051 §6.1.1
        case "NOOP": return .noop  // RFC 9051 §6.1.2
        case "LOGOUT": return .logout  // RFC 9051 §6.1.3
        case "STARTTLS": return .startTLS  // RFC 9051 §6.2.1
        case "NAMESPACE": return .namespace  // RFC 9051 §6.3.10
        case "IDLE": return .idle  // RFC 9051 §6.3.13
        case "UNAUTHENTICATE": return .unauthenticate  // RFC 8437 §4: command-auth =/ "UNAUTHENTICATE"
        // compress = "COMPRESS" SP algorithm; algorithm = "DEFLATE" (an atom). RFC 4978 §5
        case "COMPRESS":
            try c.space()
            return .compress(try c.keyword())
        case "CHECK": return .check  // RFC 3501 §6.4.1 (gone from IMAP4rev2, still sent)
        case "CLOSE": return .close  // RFC 9051 §6.4.1
        case "UNSELECT": return .unselect  // RFC 9051 §6.4.2
        case "EXPUNGE": return .expunge  // RFC 9051 §6.4.3
        case "CANCELUPDATE": return try cancelUpdate(&c)  // RFC 5267 §4.3.5
        case "ID": return .id(try id(&c))
        case "AUTHENTICATE": return try authenticate(&c)
        case "LOGIN":
            // login = "LOGIN" SP userid SP password; both astring. RFC 9051 §6.2.3
            try c.space()
            let user = try c.utf8(c.astring())
            try c.space()
            return .login(user: user, password: try c.utf8(c.astring()))
        case "ENABLE":
            // enable = "ENABLE" 1*(SP capability). RFC 5161 §4
            var names: [String] = []
            repeat {
                try c.space()
                names.append(try c.keyword())
            } while !c.atEnd
            return .enable(names)
        case "SELECT", "EXAMINE":
            // select = "SELECT" SP mailbox [select-params]. RFC 9051 §9, RFC 7162 §7
            try c.space()
            let mailbox = try c.mailbox(utf8Enabled: utf8Enabled)
            let parameters = try c.selectParameters()
            return name == "SELECT" ? .select(mailbox, parameters: parameters) : .examine(mailbox, parameters: parameters)
        case "CREATE": return try create(&c)  // RFC 9051 §6.3.4, RFC 6154 §3
        case "DELETE": return .delete(try mailboxArgument(&c))  // RFC 9051 §6.3.5
        case "SUBSCRIBE": return .subscribe(try mailboxArgument(&c))  // RFC 9051 §6.3.7
        case "UNSUBSCRIBE": return .unsubscribe(try mailboxArgument(&c))  // RFC 9051 §6.3.8
        case "RENAME":
            // rename = "RENAME" SP mailbox SP mailbox. RFC 9051 §6.3.6
            let from = try mailboxArgument(&c)
            return .rename(from: from, to: try mailboxArgument(&c))
        case "LIST": return try list(&c)
        case "LSUB":
            // lsub = "LSUB" SP mailbox SP list-mailbox. RFC 3501 §6.3.9
            try c.space()
            let reference = try referenceName(c.astring())
            try c.space()
            return .lsub(reference: reference, pattern: try referenceName(c.listMailbox()))
        case "STATUS":
            // status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")". RFC 9051 §6.3.11
            let mailbox = try mailboxArgument(&c)
            try c.space()
            try c.open()
            var items: [String] = []
            repeat { items.append(try c.keyword()) } while c.take(ByteClass.space)
            try c.close()
            return .status(mailbox, items: items)
        case "APPEND": return try append(&c)
        case "SETACL", "DELETEACL", "GETACL", "LISTRIGHTS", "MYRIGHTS": return .acl(try aclCommand(name, &c))  // RFC 4314 §3
        case "GETMETADATA": return try getMetadata(&c)  // RFC 5464 §4.2
        case "SETMETADATA": return try setMetadata(&c)  // RFC 5464 §4.3
        case "NOTIFY": return try notify(&c)  // RFC 5465 §3
        case "UID": return try uid(&c)
        case "REPLACE": return try replace(uid: false, &c)  // RFC 8508 §3.3
        case "GETQUOTA", "GETQUOTAROOT", "SETQUOTA": return .quota(try quota(name, &c))  // RFC 9208 §4.1
        case "FETCH", "STORE", "COPY", "MOVE", "SEARCH", "SORT", "THREAD": return try selected(name, uid: false, &c)  // RFC 9051 §6.4
        default: throw IMAPSyntaxError(.unknownCommand, "unknown command")
        }
    }

    /// id-params-list = "(" string SP nstring *(SP string SP nstring) ")" / nil. RFC 2971 §4
    private func id(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> [IMAPCommand.IDField]? {
        try c.space()
        guard c.peek == ByteClass.openParen else {
            guard try c.keyword() == "NIL" else { throw IMAPCursor.fail("expected ( or NIL") }
            return nil
        }
        try c.open()
        var fields: [IMAPCommand.IDField] = []
        if c.peek != ByteClass.closeParen {
            repeat {
                let key = try c.utf8(c.string())
                try c.space()
                let value = try c.nstring()
                fields.append(.init(key, try value.map { bytes throws(IMAPSyntaxError) in try c.utf8(bytes) }))
            } while c.take(ByteClass.space)
        }
        try c.close()
        return fields
    }

    /// authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp];
    /// initial-resp = (base64 / "="). RFC 9051 §9, RFC 4959 §7
    private func authenticate(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        let mechanism = try c.keyword()
        guard c.take(ByteClass.space) else { return .authenticate(mechanism: mechanism, initialResponse: nil) }
        let response = try c.run("a base64 response") {
            ByteClass.isAlpha($0) || ByteClass.isDigit($0) || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D
        }
        guard response == [0x3D] || (response.count % 4 == 0 && !response.dropLast(2).contains(0x3D)) else {
            throw IMAPCursor.fail("initial response is not base64")
        }
        return .authenticate(mechanism: mechanism, initialResponse: String(decoding: response, as: UTF8.self))
    }
}
