import LineFraming

/// SORT's and THREAD's arguments. Parser and encoder.
extension IMAPCommandParser {
    /// ```
    /// sort            = ["UID" SP] "SORT" SP sort-criteria SP search-criteria      ; RFC 5256 §5
    /// extended-sort   = ["UID" SP] "SORT" search-return-opts SP sort-criteria SP search-criteria
    ///                                                                           ; RFC 5267 §5
    /// sort-criteria   = "(" sort-criterion *(SP sort-criterion) ")"
    /// search-criteria = charset 1*(SP search-key)
    /// return-option   =/ "CONTEXT" / "UPDATE" / "PARTIAL" SP partial-range      ; RFC 5267 §5
    /// partial-range   = nz-number ":" nz-number
    /// ```
    /// Read from after "SORT". An unknown sort key or return option is `BAD`.
    func sortProgram(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> SortProgram {
        try c.space()
        var returnOptions: [SortReturnOption]?
        if c.take(keyword: "RETURN") {
            try c.space()
            try c.open()
            var options: [SortReturnOption] = []
            if c.peek != ByteClass.closeParen {
                repeat { options.append(try sortReturnOption(&c)) } while c.take(ByteClass.space)
            }
            try c.close()
            try c.space()
            returnOptions = options
        }
        try c.open()
        var criteria: [SortCriterion] = []
        repeat {
            var name = try c.keyword()
            var reverse = false
            if name == "REVERSE" {
                try c.space()
                name = try c.keyword()
                reverse = true
            }
            guard let key = SortCriterion.Key(rawValue: name) else { throw IMAPCursor.fail("unknown sort key") }
            criteria.append(SortCriterion(key, reverse: reverse))
        } while c.take(ByteClass.space)
        try c.close()
        let (charset, key) = try searchCriteria(&c)
        return SortProgram(criteria: criteria, charset: charset, returnOptions: returnOptions, key: key)
    }

    /// `thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria`. RFC 5256 §5. An
    /// algorithm we do not offer is `BAD`.
    func threadProgram(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> ThreadProgram {
        try c.space()
        guard let algorithm = ThreadAlgorithm(rawValue: try c.keyword()) else {
            throw IMAPCursor.fail("unknown threading algorithm")
        }
        let (charset, key) = try searchCriteria(&c)
        return ThreadProgram(algorithm: algorithm, charset: charset, key: key)
    }

    private func sortReturnOption(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> SortReturnOption {
        switch try c.keyword() {
        case "MIN": return .min
        case "MAX": return .max
        case "ALL": return .all
        case "COUNT": return .count
        case "CONTEXT": return .context
        case "UPDATE": return .update
        case "PARTIAL": return SortReturnOption(try partialRange9394(&c))  // RFC 9394 §3.1
        default: throw IMAPCursor.fail("unknown SORT return option")
        }
    }

    /// `SP charset 1*(SP search-key)`: the charset is required here (RFC 5256 §5); one we do
    /// not take is `.badCharset`.
    private func searchCriteria(_ c: inout IMAPCursor) throws(IMAPSyntaxError) -> (String, SearchKey) {
        try c.space()
        let charset = ByteClass.upperString(c.peek == ByteClass.quote ? try c.quoted() : try c.atom())
        guard SearchProgram.supportedCharsets.contains(charset) else {
            throw IMAPSyntaxError(.badCharset, "unsupported charset")  // RFC 5256 §3
        }
        var keys: [SearchKey] = []
        repeat {
            try c.space()
            keys.append(try c.searchKey(depth: 1, limit: maxSearchKeyDepth))
        } while !c.atEnd
        return (charset, keys.count == 1 ? keys[0] : .and(keys))
    }
}

extension SortProgram {
    /// What follows `SORT `: `RETURN (MIN PARTIAL 1:5) (REVERSE DATE) UTF-8 UNSEEN`.
    public func encoded(style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        var out: [UInt8] = []
        if let returnOptions {
            out += Array("RETURN (\(returnOptions.map(\.encoded).joined(separator: " "))) ".utf8)
        }
        let names = criteria.map { ($0.reverse ? "REVERSE " : "") + $0.key.rawValue }
        out += Array("(\(names.joined(separator: " "))) \(charset) ".utf8)
        out += SearchProgram(key: key).encoded(style: style)
        return out
    }
}

extension SortReturnOption {
    public var encoded: String {
        switch self {
        case .min: return "MIN"
        case .max: return "MAX"
        case .all: return "ALL"
        case .count: return "COUNT"
        case .context: return "CONTEXT"
        case .update: return "UPDATE"
        case .partial, .partialLast: return "PARTIAL " + (partialRange?.encoded ?? "")
        }
    }
}

extension ThreadProgram {
    /// What follows `THREAD `: `REFERENCES UTF-8 ALL`.
    public func encoded(style: IMAPLiteralStyle = .synchronizing) -> [UInt8] {
        Array("\(algorithm.rawValue) \(charset) ".utf8) + SearchProgram(key: key).encoded(style: style)
    }
}
