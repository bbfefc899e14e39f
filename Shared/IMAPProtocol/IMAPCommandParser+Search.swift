import LineFraming

/// SEARCH's arguments: RETURN options, CHARSET and the search keys. Parser and encoder.
///
/// ```
/// C: a1 UID SEARCH RETURN (MIN MAX COUNT) CHARSET UTF-8 OR FROM alice SUBJECT {5+}
/// C: café UNDELETED SINCE 1-Feb-2024
/// ```
extension IMAPCommandParser {
    /// ```
    /// search             = "SEARCH" [search-return-opts] SP search-program
    /// search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
    /// search-return-opt  = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" /
    ///                      "CONTEXT" / "UPDATE" / "PARTIAL" SP partial-range   ; RFC 5267 §5
    /// search-program     = ["CHARSET" SP charset SP] search-key *(SP search-key)
    /// charset            = atom / quoted
    /// ```
    /// RFC 9051 §9, RFC 4731 §3.1 (RETURN), RFC 5182 §2 (SAVE), RFC 5267 §4 (CONTEXT, UPDATE,
    /// PARTIAL). Read from after "SEARCH". A return option we do not know is `BAD`; `RETURN ()`
    /// is kept empty and means ALL. ALL beside PARTIAL is taken (RFC 5267 §4.4's MUST NOT is
    /// the client's; both are answered, as ESORT did before).
    /// A charset other than `SearchProgram.supportedCharsets` is `.badCharset` (answered
    /// `NO [BADCHARSET (…)]`, RFC 9051 §6.4.4). Strings are UTF-8 under either charset
    /// (US-ASCII is a subset); bytes that are not UTF-8 are `BAD`.
    func searchProgram(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> SearchProgram {
        try c.space()
        var returnOptions: [SearchReturnOption]?
        if c.take(keyword: "RETURN") {  // RFC 4731 §3.1
            try c.space()
            try c.open()
            var options: [SearchReturnOption] = []
            if c.peek != ByteClass.closeParen {
                repeat { options.append(try searchReturnOption(&c)) } while c.take(ByteClass.space)
            }
            try c.close()
            try c.space()
            returnOptions = options
        }
        var charset: String?
        if c.take(keyword: "CHARSET") {
            try c.space()
            let name = ByteClass.upperString(c.peek == ByteClass.quote ? try c.quoted() : try c.atom())
            guard SearchProgram.supportedCharsets.contains(name) else {
                throw IMAPSyntaxError(.badCharset, "unsupported charset")  // RFC 9051 §6.4.4
            }
            try c.space()
            charset = name
        }
        var keys: [SearchKey] = []
        repeat { keys.append(try c.searchKey(depth: 1, limit: maxSearchKeyDepth)) } while c.take(ByteClass.space)
        return SearchProgram(charset: charset, returnOptions: returnOptions, key: keys.count == 1 ? keys[0] : .and(keys))
    }
}

extension SearchProgram {
    /// The charsets SEARCH takes, as named in `[BADCHARSET (UTF-8 US-ASCII)]`. RFC 9051 §6.4.4
    /// requires both.
    public static let supportedCharsets = ["UTF-8", "US-ASCII"]
}

extension IMAPCommandParser {
    private func searchReturnOption(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> SearchReturnOption {
        switch try c.keyword() {
        case "MIN": return .min
        case "MAX": return .max
        case "ALL": return .all
        case "COUNT": return .count
        case "SAVE": return .save
        case "CONTEXT": return .context
        case "UPDATE": return .update
        case "PARTIAL": return SearchReturnOption(try partialRange9394(&c))  // RFC 9394 §3.1
        default: throw IMAPCursor.fail("unknown SEARCH return option")
        }
    }
}

extension SearchReturnOption {
    public var encoded: String {
        switch self {
        case .min: return "MIN"
        case .max: return "MAX"
        case .all: return "ALL"
        case .count: return "COUNT"
        case .save: return "SAVE"
        case .context: return "CONTEXT"
        case .update: return "UPDATE"
        case .partial, .partialLast: return "PARTIAL " + (partialRange?.encoded ?? "")
        }
    }
}

extension IMAPCursor {
    /// search-key, recursing for NOT, OR and parenthesized lists; `depth` counts those levels,
    /// capped at `limit` (`IMAPDefaults.searchKeyDepth`); parentheses are also held to the
    /// cursor's `maxDepth`. A parenthesized list of one key
    /// is that key; of several, `.and`. Grammar: `SearchKey`. RFC 9051 §9, RFC 3501 §9.
    mutating func searchKey(depth: Int, limit: Int) throws(IMAPSyntaxError) -> SearchKey {
        guard depth <= limit else { throw IMAPSyntaxError(.tooDeep, "search keys nested too deep") }
        if peek == ByteClass.openParen {
            try open()
            var keys: [SearchKey] = []
            repeat { keys.append(try searchKey(depth: depth + 1, limit: limit)) } while take(ByteClass.space)
            try close()
            return keys.count == 1 ? keys[0] : .and(keys)
        }
        if atDigit || peek == ByteClass.star || peek == ByteClass.dollar { return .sequence(try sequenceSet()) }
        let name = try keyword()
        switch name {
        case "NOT":
            try space()
            return .not(try searchKey(depth: depth + 1, limit: limit))
        case "OR":
            try space()
            let first = try searchKey(depth: depth + 1, limit: limit)
            try space()
            return .or(first, try searchKey(depth: depth + 1, limit: limit))
        default: return try simpleSearchKey(name)
        }
    }

    /// The keys that hold no other key, kept out of `searchKey` so its recursive frame stays small.
    private mutating func simpleSearchKey(_ name: String) throws(IMAPSyntaxError) -> SearchKey {
        switch name {
        case "ALL": return .all
        case "ANSWERED": return .flag(.answered)
        case "DELETED": return .flag(.deleted)
        case "DRAFT": return .flag(.draft)
        case "FLAGGED": return .flag(.flagged)
        case "SEEN": return .flag(.seen)
        case "UNANSWERED": return .noFlag(.answered)
        case "UNDELETED": return .noFlag(.deleted)
        case "UNDRAFT": return .noFlag(.draft)
        case "UNFLAGGED": return .noFlag(.flagged)
        case "UNSEEN": return .noFlag(.seen)
        case "NEW": return .new  // RFC 3501 §6.4.4
        case "OLD": return .old
        case "RECENT": return .recent
        case "SAVEDATESUPPORTED": return .saveDateSupported  // RFC 8514 §5
        default: break
        }
        try space()
        switch name {
        case "KEYWORD": return .flag(try flagKeyword())
        case "UNKEYWORD": return .noFlag(try flagKeyword())
        case "BCC", "CC", "FROM", "SUBJECT", "TO": return .header(name, try utf8(astring()))
        case "HEADER":
            let field = try headerFieldName()
            try space()
            return .header(field, try utf8(astring()))
        case "BODY": return .body(try utf8(astring()))
        case "TEXT": return .text(try utf8(astring()))
        case "BEFORE": return .before(try date())
        case "ON": return .on(try date())
        case "SINCE": return .since(try date())
        case "SENTBEFORE": return .sentBefore(try date())
        case "SENTON": return .sentOn(try date())
        case "SENTSINCE": return .sentSince(try date())
        case "LARGER": return .larger(try number64())
        case "SMALLER": return .smaller(try number64())
        case "UID": return .uid(try sequenceSet())
        case "MODSEQ":
            // "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer; the entry
            // (one flag's mod-sequence) is read and ignored: we keep one per message. RFC 7162 §3.1.5
            if peek == ByteClass.quote {
                let entry = ByteClass.upperString(try quoted())
                guard entry.hasPrefix("/FLAGS/") else { throw Self.fail("bad MODSEQ entry name") }
                try space()
                guard ["PRIV", "SHARED", "ALL"].contains(try keyword()) else { throw Self.fail("bad MODSEQ entry type") }
                try space()
            }
            return .modSeq(try number64())
        case "EMAILID": return .emailID(try objectID())  // RFC 8474 §6
        case "THREADID": return .threadID(try objectID())
        case "SAVEDBEFORE": return .savedBefore(try date())  // RFC 8514 §5
        case "SAVEDON": return .savedOn(try date())
        case "SAVEDSINCE": return .savedSince(try date())
        default: throw Self.fail("unknown search key")
        }
    }

    /// flag-keyword = "$MDNSent" / "$Forwarded" / "$Junk" / "$NotJunk" / "$Phishing" / atom. RFC 9051 §9
    private mutating func flagKeyword() throws(IMAPSyntaxError) -> Flag {
        guard let flag = Flag(String(decoding: try atom(), as: UTF8.self)) else { throw Self.fail("bad keyword") }
        return flag
    }
}

extension SearchProgram {
    /// What follows `SEARCH `: `RETURN (MIN COUNT) CHARSET UTF-8 FROM alice UNSEEN`. Strings
    /// go as atoms, quoted strings or literals (announced in `style`).
    public func encoded(style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        var out: [UInt8] = []
        if let returnOptions { out += Array("RETURN (\(returnOptions.map(\.encoded).joined(separator: " "))) ".utf8) }
        if let charset {
            let name = Array(charset.utf8)
            out += Array("CHARSET ".utf8) + (name.allSatisfy(ByteClass.isAtomChar) && !name.isEmpty ? name : IMAPString.quoted(name))
            out.append(ByteClass.space)
        }
        // The top-level list is an implicit AND: no parentheses. RFC 9051 §6.4.4
        if case .and(let keys) = key, keys.count > 1 {
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(ByteClass.space) }
                out += key.encoded(style: style)
            }
        } else {
            out += key.encoded(style: style)
        }
        return out
    }
}

extension SearchKey {
    /// The key as sent: `OR (FROM alice UNSEEN) NOT KEYWORD $Junk`. FROM/TO/CC/BCC/SUBJECT
    /// headers use their own keys; an `.and` of several keys is parenthesized, of one key is
    /// that key, of none `ALL` (an empty conjunction holds for every message).
    public func encoded(style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        func words(_ text: String) -> [UInt8] { Array(text.utf8) }
        func string(_ text: String) -> [UInt8] { IMAPString.astring(Array(text.utf8), style: style) }
        switch self {
        case .all: return words("ALL")
        case .flag(let flag): return words(Self.flagKey(flag, set: true))
        case .noFlag(let flag): return words(Self.flagKey(flag, set: false))
        case .new: return words("NEW")
        case .old: return words("OLD")
        case .recent: return words("RECENT")
        case .before(let date): return words("BEFORE \(date)")
        case .on(let date): return words("ON \(date)")
        case .since(let date): return words("SINCE \(date)")
        case .sentBefore(let date): return words("SENTBEFORE \(date)")
        case .sentOn(let date): return words("SENTON \(date)")
        case .sentSince(let date): return words("SENTSINCE \(date)")
        case .larger(let size): return words("LARGER \(size)")
        case .smaller(let size): return words("SMALLER \(size)")
        case .header(let name, let value):
            if ["BCC", "CC", "FROM", "SUBJECT", "TO"].contains(name) { return words(name + " ") + string(value) }
            return words("HEADER ") + string(name) + [ByteClass.space] + string(value)
        case .body(let value): return words("BODY ") + string(value)
        case .text(let value): return words("TEXT ") + string(value)
        case .sequence(let set): return set.encoded
        case .uid(let set): return words("UID ") + set.encoded
        case .modSeq(let value): return words("MODSEQ \(value)")
        case .emailID(let id): return words("EMAILID \(id)")
        case .threadID(let id): return words("THREADID \(id)")
        case .savedBefore(let date): return words("SAVEDBEFORE \(date)")
        case .savedOn(let date): return words("SAVEDON \(date)")
        case .savedSince(let date): return words("SAVEDSINCE \(date)")
        case .saveDateSupported: return words("SAVEDATESUPPORTED")
        case .not(let key): return words("NOT ") + key.encoded(style: style)
        case .or(let a, let b): return words("OR ") + a.encoded(style: style) + [ByteClass.space] + b.encoded(style: style)
        case .and(let keys):
            guard keys.count > 1 else { return keys.first?.encoded(style: style) ?? words("ALL") }
            var out: [UInt8] = [ByteClass.openParen]
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(ByteClass.space) }
                out += key.encoded(style: style)
            }
            out.append(ByteClass.closeParen)
            return out
        }
    }

    /// SEEN / UNSEEN … for the system flags, KEYWORD x / UNKEYWORD x for the rest.
    private static func flagKey(_ flag: Flag, set: Bool) -> String {
        let system: [(Flag, String)] = [
            (.answered, "ANSWERED"), (.deleted, "DELETED"), (.draft, "DRAFT"), (.flagged, "FLAGGED"), (.seen, "SEEN"),
        ]
        if let name = system.first(where: { $0.0 == flag })?.1 { return (set ? "" : "UN") + name }
        return (set ? "KEYWORD " : "UNKEYWORD ") + flag.name
    }
}
