import LineFraming

/// The grammar of OBJECTID (RFC 8474), SAVEDATE (RFC 8514), PREVIEW (RFC 8970),
/// CREATE-SPECIAL-USE (RFC 6154 §3) and REPLACE (RFC 8508) that is not in the older files.
extension IMAPCursor {
    /// ```
    /// objectid = 1*255(ALPHA / DIGIT / "_" / "-")   ; RFC 8474 §7
    /// ```
    mutating func objectID() throws(IMAPSyntaxError) -> String {
        let bytes = try run("an object id", ObjectID.isChar)
        guard bytes.count <= ObjectID.maxLength else { throw Self.fail("object id too long") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `[SP "(" preview-mod *(SP preview-mod) ")"]` after PREVIEW; `preview-mod = "LAZY"`.
    /// RFC 8970 §7. A `(` that does not open LAZY is left alone: it is FETCH's modifier list
    /// (`FETCH 1 PREVIEW (CHANGEDSINCE 5)`).
    mutating func previewModifiers() throws(IMAPSyntaxError) -> Bool {
        var probe = self
        guard probe.take(ByteClass.space), probe.peek == ByteClass.openParen else { return false }
        try probe.open()
        guard probe.take(keyword: "LAZY") else { return false }
        while probe.take(ByteClass.space) {
            guard try probe.keyword() == "LAZY" else { throw Self.fail("unknown PREVIEW modifier") }
        }
        try probe.close()
        self = probe
        return true
    }
}

/// OBJECTID's identifiers (RFC 8474 §7): `objectid = 1*255(ALPHA / DIGIT / "_" / "-")`.
public enum ObjectID {
    public static let maxLength = 255

    public static func isChar(_ byte: UInt8) -> Bool {
        ByteClass.isAlpha(byte) || ByteClass.isDigit(byte) || byte == 0x5F || byte == 0x2D
    }

    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy(isChar)
    }
}

extension IMAPCommandParser {
    /// ```
    /// create        = "CREATE" SP mailbox [create-params]      ; RFC 4466 §2.2
    /// create-params = SP "(" create-param *( SP create-param) ")"
    /// create-param  =/ "USE" SP "(" [use-attr *(SP use-attr)] ")"   ; RFC 6154 §6
    /// use-attr      = "\All" / "\Archive" / "\Drafts" / "\Flagged" / "\Junk" / "\Sent" / "\Trash" / use-attr-ext
    /// ```
    /// `C: t1 CREATE MySpecial (USE (\Drafts \Sent))`. The attributes are kept as sent, with their
    /// backslash; which the server supports is the session's question (NO [USEATTR]).
    func create(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        let mailbox = try mailboxArgument(&c)
        guard c.take(ByteClass.space) else { return .create(mailbox) }
        try c.open()
        var uses: [String]?
        repeat {
            guard try c.keyword() == "USE", uses == nil else { throw IMAPCursor.fail("unknown CREATE parameter") }
            try c.space()
            try c.open()
            var list: [String] = []
            if c.peek != ByteClass.closeParen {
                repeat {
                    guard c.take(ByteClass.backslash) else { throw IMAPCursor.fail("a use attribute starts with \\") }
                    list.append("\\" + String(decoding: try c.atom(), as: UTF8.self))
                } while c.take(ByteClass.space)
            }
            try c.close()
            uses = list
        } while c.take(ByteClass.space)
        try c.close()
        return .createSpecialUse(mailbox, uses: uses ?? [])
    }

    /// ```
    /// replace     = "REPLACE" SP seq-number SP mailbox append-message   ; RFC 8508 §6
    /// uid-replace = "UID" SP replace   (the number is a UID)
    /// ```
    /// `append-message` is APPEND's: `[SP flag-list] [SP date-time] SP append-data`.
    func replace(uid: Bool, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> IMAPCommand.Kind {
        try c.space()
        let number = try c.nzNumber()
        let mailbox = try mailboxArgument(&c)
        try c.space()
        return .replace(number, mailbox, try appendMessage(&c), uid: uid)
    }
}
