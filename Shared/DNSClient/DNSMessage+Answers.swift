extension DNSMessage {
    /// The records of `type` owned by `name` in the answer section, following the
    /// CNAME chain a recursive server puts before them (RFC 1034 §3.6.2, §4.3.2 step
    /// 3a; RFC 5321 §5.1: "the resulting name is processed as if it were the initial
    /// name"). Returns the name the chain ends at, and no records for NODATA.
    /// Throws a temporary `.malformedResponse` for a CNAME loop or a chain longer than
    /// `maxChain`, and for two CNAMEs on one name (RFC 2181 §10.1).
    public func answerRecords(
        for name: DNSName, type: DNSRecordType, maxChain: Int = DNSDefaults.cnameChainLength
    ) throws(DNSError) -> (canonicalName: DNSName, records: [DNSResourceRecord]) {
        let inClass = answers.filter { $0.recordClass == .internet }
        var current = name
        var seen: Set<DNSName> = [name]
        while true {
            let records = inClass.filter { $0.name == current && $0.type == type }
            if !records.isEmpty || type == .cname { return (current, records) }
            let aliases = inClass.compactMap { record -> DNSName? in
                guard record.name == current, case .cname(let target) = record.data else { return nil }
                return target
            }
            guard let target = aliases.first else { return (current, []) }
            guard Set(aliases).count == 1 else {  // RFC 2181 §10.1: one CNAME per name
                throw DNSError(.malformedResponse, "\(current) has \(aliases.count) CNAME records")
            }
            guard seen.insert(target).inserted else {
                throw DNSError(.malformedResponse, "CNAME loop at \(target) while looking up \(name) \(type)")
            }
            guard seen.count - 1 <= maxChain else {
                throw DNSError(.malformedResponse, "CNAME chain from \(name) is longer than \(maxChain)")
            }
            current = target
        }
    }

    /// Whether this message answers `query`: same ID, QR set, same opcode, and the same
    /// single question (RFC 5452 §9.1; RFC 1035 §7.3). Anything else on our socket is
    /// stale or forged and is dropped.
    public func isResponse(to query: DNSMessage) -> Bool {
        header.isResponse && header.id == query.header.id && header.opcode == query.header.opcode
            && questions == query.questions
    }
}
