import LineFraming

/// FETCH's arguments: the data items (macros expanded) and the modifiers. Parser and encoder.
///
/// ```
/// C: a1 UID fetch 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Subject)])
/// C: a2 FETCH 2 (BODY[1.2.MIME] BINARY.PEEK[2]<0.4096> BINARY.SIZE[2])
/// C: a3 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)
/// ```
extension IMAPCommandParser {
    /// ```
    /// fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" /
    ///                   fetch-att / "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]
    /// fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"      ; RFC 4466 §2.4
    /// fetch-modifier  =/ chgsince-fetch-mod / rexpunges-fetch-mod           ; RFC 7162 §7
    /// chgsince-fetch-mod  = "CHANGEDSINCE" SP mod-sequence-value
    /// rexpunges-fetch-mod = "VANISHED"    ; only in UID FETCH
    /// ```
    /// RFC 9051 §9, §6.4.5. Read from after the sequence set. The macros stand alone, never
    /// in a list: ALL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE), FAST = (FLAGS INTERNALDATE
    /// RFC822.SIZE), FULL = (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY). VANISHED without
    /// CHANGEDSINCE, or in a FETCH that is not UID FETCH, is `BAD` (RFC 7162 §3.2.6);
    /// whether QRESYNC was enabled is the session's question.
    func fetchArguments(uid: Bool, _ c: inout IMAPCursor) throws(IMAPSyntaxError) -> ([FetchAttribute], FetchModifiers) {
        try c.space()
        var attributes: [FetchAttribute] = []
        if c.peek == ByteClass.openParen {
            try c.open()
            repeat { attributes.append(try c.fetchAttribute()) } while c.take(ByteClass.space)
            try c.close()
        } else if c.take(keyword: "ALL") {
            attributes = [.flags, .internalDate, .rfc822Size, .envelope]  // RFC 9051 §6.4.5
        } else if c.take(keyword: "FAST") {
            attributes = [.flags, .internalDate, .rfc822Size]
        } else if c.take(keyword: "FULL") {
            attributes = [.flags, .internalDate, .rfc822Size, .envelope, .body]
        } else {
            attributes = [try c.fetchAttribute()]
        }
        var modifiers = FetchModifiers()
        guard c.take(ByteClass.space) else { return (attributes, modifiers) }
        try c.open()
        repeat {
            switch try c.keyword() {
            case "CHANGEDSINCE" where modifiers.changedSince == nil:  // RFC 7162 §3.1.4.1
                try c.space()
                modifiers.changedSince = try c.number64()
            case "VANISHED" where uid && !modifiers.vanished: modifiers.vanished = true  // RFC 7162 §3.2.6
            // fetch-modifier =/ "PARTIAL" SP partial-range. RFC 9394 §5
            case "PARTIAL" where modifiers.partial == nil: modifiers.partial = try partialRange9394(&c)
            default: throw IMAPCursor.fail("bad FETCH modifier")
            }
        } while c.take(ByteClass.space)
        try c.close()
        guard !modifiers.vanished || modifiers.changedSince != nil else {
            throw IMAPCursor.fail("VANISHED without CHANGEDSINCE")  // RFC 7162 §3.2.6
        }
        return (attributes, modifiers)
    }
}

extension IMAPCursor {
    /// ```
    /// fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".TEXT"] /
    ///             "RFC822.SIZE" / "BODY" ["STRUCTURE"] / "UID" / "MODSEQ" /
    ///             "BODY" section [partial] / "BODY.PEEK" section [partial] /
    ///             "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary
    /// ```
    /// RFC 9051 §9, RFC 3501 §9 (RFC822.*), RFC 3516 §4.2 (BINARY), RFC 7162 §7 (MODSEQ).
    mutating func fetchAttribute() throws(IMAPSyntaxError) -> FetchAttribute {
        switch try itemName() {
        case "ENVELOPE": return .envelope
        case "FLAGS": return .flags
        case "INTERNALDATE": return .internalDate
        case "RFC822": return .rfc822
        case "RFC822.HEADER": return .rfc822Header
        case "RFC822.TEXT": return .rfc822Text
        case "RFC822.SIZE": return .rfc822Size
        case "BODYSTRUCTURE": return .bodyStructure
        case "UID": return .uid
        case "MODSEQ": return .modSeq
        case "BODY":
            guard peek == ByteClass.openBracket else { return .body }
            return .section(try section(), partial: try partial(), peek: false)
        case "BODY.PEEK": return .section(try section(), partial: try partial(), peek: true)
        case "BINARY": return .binary(part: try sectionBinary(), partial: try partial(), peek: false)
        case "BINARY.PEEK": return .binary(part: try sectionBinary(), partial: try partial(), peek: true)
        case "BINARY.SIZE": return .binarySize(part: try sectionBinary())
        case "EMAILID": return .emailID  // RFC 8474 §7
        case "THREADID": return .threadID
        case "SAVEDATE": return .saveDate  // RFC 8514 §6
        case "PREVIEW": return .preview(lazy: try previewModifiers())  // RFC 8970 §7
        default: throw Self.fail("unknown FETCH item")
        }
    }

    /// ```
    /// section         = "[" [section-spec] "]"
    /// section-spec    = section-msgtext / (section-part ["." section-text])
    /// section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
    /// section-part    = nz-number *("." nz-number)
    /// section-text    = section-msgtext / "MIME"
    /// ```
    /// RFC 9051 §9. MIME only after a part number.
    mutating func section() throws(IMAPSyntaxError) -> SectionSpec {
        try expect(ByteClass.openBracket)
        var spec = SectionSpec()
        if atDigit {
            spec.part = try sectionPart()
            if take(0x2E) { spec.text = try sectionText(mime: true) }  // "."
        } else if peek != ByteClass.closeBracket {
            spec.text = try sectionText(mime: false)
        }
        try expect(ByteClass.closeBracket)
        return spec
    }

    /// section-part = nz-number *("." nz-number), stopping before a "." that starts a
    /// section-text. RFC 9051 §9
    private mutating func sectionPart() throws(IMAPSyntaxError) -> [Int] {
        var part = [Int(try nzNumber())]
        while peek == 0x2E, let next = peek(ahead: 1), ByteClass.isDigit(next) {
            _ = take(0x2E)
            part.append(Int(try nzNumber()))
        }
        return part
    }

    private mutating func sectionText(mime: Bool) throws(IMAPSyntaxError) -> SectionSpec.Text {
        switch try itemName() {
        case "HEADER": return .header
        case "TEXT": return .text
        case "MIME" where mime: return .mime
        case "HEADER.FIELDS":
            try space()
            return .headerFields(try headerList())
        case "HEADER.FIELDS.NOT":
            try space()
            return .headerFieldsNot(try headerList())
        default: throw Self.fail("bad section")
        }
    }

    /// header-list = "(" header-fld-name *(SP header-fld-name) ")"; header-fld-name = astring.
    /// RFC 9051 §9. Names upper-cased (ASCII only: field names are ASCII, RFC 5322 §2.2).
    mutating func headerList() throws(IMAPSyntaxError) -> [String] {
        try open()
        var names: [String] = []
        repeat { names.append(try headerFieldName()) } while take(ByteClass.space)
        try close()
        return names
    }

    /// header-fld-name = astring, upper-cased; must be UTF-8. RFC 9051 §9
    mutating func headerFieldName() throws(IMAPSyntaxError) -> String {
        ByteClass.upperString(Array(try utf8(astring()).utf8))
    }

    /// section-binary = "[" [section-part] "]". RFC 3516 §4.2, RFC 9051 §9
    private mutating func sectionBinary() throws(IMAPSyntaxError) -> [Int] {
        try expect(ByteClass.openBracket)
        let part = atDigit ? try sectionPart() : []
        try expect(ByteClass.closeBracket)
        return part
    }

    /// partial = "<" number64 "." nz-number64 ">". RFC 9051 §9 (RFC 3501 §9: number,
    /// nz-number). A length of 0 is not a partial (`<1.0>` is `BAD`). Values past 2^32-1
    /// are taken as 2^32-1: no message comes near 4 GiB (`IMAPDefaults.literalSize`), so
    /// the octets returned are the same.
    private mutating func partial() throws(IMAPSyntaxError) -> FetchAttribute.Partial? {
        guard take(0x3C) else { return nil }  // "<"
        let offset = try number64()
        try expect(0x2E)  // "."
        let length = try number64()
        guard length > 0 else { throw Self.fail("partial of length 0") }
        try expect(0x3E)  // ">"
        return .init(offset: UInt32(clamping: offset), length: UInt32(clamping: length))
    }
}

extension FetchAttribute {
    /// The data item as a client asks for it: `BODY.PEEK[HEADER.FIELDS (SUBJECT)]<0.512>`.
    /// Field names that are not atoms go as strings, literals announced in `style`.
    public func encoded(style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        func partial(_ p: Partial?) -> String { p.map { "<\($0.offset).\($0.length)>" } ?? "" }
        func part(_ p: [Int]) -> String { "[" + p.map(String.init).joined(separator: ".") + "]" }
        switch self {
        case .envelope: return Array("ENVELOPE".utf8)
        case .flags: return Array("FLAGS".utf8)
        case .internalDate: return Array("INTERNALDATE".utf8)
        case .rfc822Size: return Array("RFC822.SIZE".utf8)
        case .rfc822: return Array("RFC822".utf8)
        case .rfc822Header: return Array("RFC822.HEADER".utf8)
        case .rfc822Text: return Array("RFC822.TEXT".utf8)
        case .body: return Array("BODY".utf8)
        case .bodyStructure: return Array("BODYSTRUCTURE".utf8)
        case .uid: return Array("UID".utf8)
        case .modSeq: return Array("MODSEQ".utf8)
        case .section(let spec, let p, let peek):
            return Array((peek ? "BODY.PEEK" : "BODY").utf8) + spec.encoded(style: style) + Array(partial(p).utf8)
        case .binary(let p, let range, let peek): return Array("BINARY\(peek ? ".PEEK" : "")\(part(p))\(partial(range))".utf8)
        case .binarySize(let p): return Array("BINARY.SIZE\(part(p))".utf8)
        case .emailID: return Array("EMAILID".utf8)
        case .threadID: return Array("THREADID".utf8)
        case .saveDate: return Array("SAVEDATE".utf8)
        case .preview(let lazy): return Array((lazy ? "PREVIEW (LAZY)" : "PREVIEW").utf8)
        }
    }
}

extension SectionSpec {
    /// `[1.2.HEADER.FIELDS (SUBJECT FROM)]`, brackets included; as in a request, so also in
    /// the FETCH response that answers it (RFC 9051 §7.5.2).
    public func encoded(style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        var out: [UInt8] = [ByteClass.openBracket]
        out += Array(part.map(String.init).joined(separator: ".").utf8)
        if let text {
            if !part.isEmpty { out.append(0x2E) }
            func list(_ word: String, _ names: [String]) {
                out += Array("\(word) (".utf8)
                for (index, name) in names.enumerated() {
                    if index > 0 { out.append(ByteClass.space) }
                    out += IMAPString.astring(Array(name.utf8), style: style)
                }
                out.append(ByteClass.closeParen)
            }
            switch text {
            case .header: out += Array("HEADER".utf8)
            case .text: out += Array("TEXT".utf8)
            case .mime: out += Array("MIME".utf8)
            case .headerFields(let names): list("HEADER.FIELDS", names)
            case .headerFieldsNot(let names): list("HEADER.FIELDS.NOT", names)
            }
        }
        out.append(ByteClass.closeBracket)
        return out
    }
}

extension FetchModifiers {
    /// Whether no modifier is set: FETCH is sent without a modifier list.
    public var isEmpty: Bool { changedSince == nil && !vanished && partial == nil }

    /// `(CHANGEDSINCE 12345 VANISHED)`, empty when `isEmpty`.
    public var encoded: [UInt8] {
        var items: [String] = []
        if let changedSince { items.append("CHANGEDSINCE \(changedSince)") }
        if vanished { items.append("VANISHED") }
        if let partial { items.append("PARTIAL " + partial.encoded) }
        return items.isEmpty ? [] : Array("(\(items.joined(separator: " ")))".utf8)
    }
}
