import LineFraming

/// SELECT/EXAMINE parameters: CONDSTORE and QRESYNC. Parser and encoder.
///
/// ```
/// C: a1 SELECT INBOX (CONDSTORE)
/// C: a2 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541))
/// C: a3 EXAMINE INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))
/// ```
extension IMAPCursor {
    /// ```
    /// select-params  = SP "(" select-param *(SP select-param) ")"           ; RFC 4466 §2.1
    /// select-param   =/ "CONDSTORE"                                         ; RFC 7162 §7
    /// select-param   =/ "QRESYNC" SP "(" uidvalidity SP mod-sequence-value
    ///                   [SP known-uids] [SP seq-match-data] ")"
    /// known-uids     = sequence-set        ; UIDs, "*" not allowed
    /// seq-match-data = "(" known-sequence-set SP known-uid-set ")"
    /// ```
    /// RFC 7162 §3.1.8, §3.2.5. Parameters we do not know, an empty list and QRESYNC given
    /// twice are `BAD`. Whether QRESYNC was enabled first is the session's question.
    mutating func selectParameters() throws(IMAPSyntaxError) -> SelectParameters {
        var parameters = SelectParameters()
        guard take(ByteClass.space) else { return parameters }
        try open()
        repeat {
            switch try keyword() {
            case "CONDSTORE": parameters.condstore = true  // RFC 7162 §3.1.8
            case "QRESYNC":  // RFC 7162 §3.2.5
                guard parameters.qresync == nil else { throw Self.fail("QRESYNC given twice") }
                try space()
                parameters.qresync = try qresync()
            default: throw Self.fail("unknown SELECT parameter")
            }
        } while take(ByteClass.space)
        try close()
        return parameters
    }

    /// "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")". RFC 7162 §7
    private mutating func qresync() throws(IMAPSyntaxError) -> SelectParameters.QResync {
        try open()
        var value = SelectParameters.QResync(uidValidity: try nzNumber(), modSeq: 0)
        try space()
        value.modSeq = try number64()
        if take(ByteClass.space) {
            if peek != ByteClass.openParen {
                value.knownUIDs = try knownSet()
                if take(ByteClass.space) { value.sequenceMatch = try sequenceMatch() }
            } else {
                value.sequenceMatch = try sequenceMatch()
            }
        }
        try close()
        return value
    }

    /// seq-match-data = "(" known-sequence-set SP known-uid-set ")". RFC 7162 §7
    private mutating func sequenceMatch() throws(IMAPSyntaxError) -> SelectParameters.SequenceMatch {
        try open()
        let numbers = try knownSet()
        try space()
        let uids = try knownSet()
        try close()
        return .init(sequenceNumbers: numbers, uids: uids)
    }

    /// A sequence set of known numbers: "*" is not allowed (RFC 7162 §7), nor "$", as no
    /// SEARCH result survives into a SELECT (RFC 5182 §2.1).
    private mutating func knownSet() throws(IMAPSyntaxError) -> SequenceSet {
        let set = try sequenceSet()
        guard case .ranges(let ranges) = set, !ranges.contains(where: { $0.first == .largest || $0.last == .largest }) else {
            throw Self.fail("\"*\" or \"$\" in a QRESYNC set")
        }
        return set
    }
}

extension SelectParameters {
    /// Whether no parameter is set: SELECT is sent without a parameter list.
    public var isEmpty: Bool { !condstore && qresync == nil }

    /// `(CONDSTORE QRESYNC (uidvalidity modseq [known-uids] [(seqs uids)]))`, empty when `isEmpty`.
    public var encoded: [UInt8] {
        var items: [String] = []
        if condstore { items.append("CONDSTORE") }
        if let q = qresync {
            var text = "QRESYNC (\(q.uidValidity) \(q.modSeq)"
            if let known = q.knownUIDs { text += " \(known)" }
            if let match = q.sequenceMatch { text += " (\(match.sequenceNumbers) \(match.uids))" }
            items.append(text + ")")
        }
        return items.isEmpty ? [] : Array("(\(items.joined(separator: " ")))".utf8)
    }
}
