import IMAPProtocol
import StoreAPI

/// SORT and UID SORT. State: selected. RFC 5256 §3 (criteria, REVERSE, CHARSET), RFC 5957
/// (DISPLAYFROM, DISPLAYTO), RFC 5267 §3.2 (ESORT: RETURN answered with ESEARCH, MIN and MAX
/// the first and last in sort order, ALL in sort order), §4.3 (UPDATE: ContextUpdates.swift) and
/// §4.4 (PARTIAL), RFC 7162 §3.1.5 (MODSEQ).
///
/// ```
/// C: a1 SORT (REVERSE ARRIVAL) UTF-8 UNSEEN
/// S: * SORT 5 3 2
/// S: a1 OK SORT completed
/// ```
/// The store sorts (`SortRequest`) over the UIDs this session knows; the answer goes back in
/// this session's sequence numbers unless UID SORT.
extension IMAPSession {
    func sort(tag: String, _ program: SortProgram, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        var updating = program.returnOptions?.contains(.update) == true
        if updating && contextTagInUse(tag) { return .bad("Tag already names an updating search") }  // RFC 5267 §4.3
        let usesModSeq = Self.mentionsModSeq(program.key)
        if usesModSeq { condstoreActive = true }
        let live = view.liveUIDs
        var sorted: [UInt32] = []
        var highest: UInt64?
        let query = Self.messageQuery(try await resolvingObjectKeys(program.key), view: view, saved: savedSearch)
        let keys = program.criteria.map { SortKey(Self.criterion($0.key), reverse: $0.reverse) }
        if !live.isEmpty {
            let request = SortRequest(query: query, criteria: keys, uids: UIDSetCompression.sorted(live))
            let result = try await store.sort(account, mailbox: view.mailbox.id, request)
            sorted = view.numbers(result.uids, asUIDs: true)
            highest = result.highestModSeq
        }
        let numbers = view.numbers(sorted, asUIDs: uid)
        if updating { updating = try await admitsContext(tag, resultSize: sorted.count) }
        let modSeq = usesModSeq && !sorted.isEmpty ? highest : nil
        guard let options = program.returnOptions else {
            try await send(.sort(numbers, modSeq: modSeq))
            return .ok("SORT completed")
        }
        try await send(.esearch(Self.esort(tag: tag, uid: uid, numbers, options: options, modSeq: modSeq)))
        if updating {
            contexts.append(SearchContext(tag: tag, uid: uid, query: query, order: .sorted(keys), result: sorted))
        }
        return .ok("SORT completed")
    }

    /// The ESEARCH answer to `SORT RETURN (…)`; `RETURN ()` means ALL (RFC 4731 §3.1), and so
    /// do UPDATE or CONTEXT alone (the client needs the result its updates apply to).
    static func esort(tag: String, uid: Bool, _ numbers: [UInt32], options: [SortReturnOption], modSeq: UInt64?) -> ESearch {
        var answer = ESearch(tag: tag, uid: uid, modSeq: modSeq, allInOrder: true)
        let answering = options.filter { $0 != .update && $0 != .context }
        for option in answering.isEmpty ? [.all] : answering {
            switch option {
            case .min: answer.min = numbers.first
            case .max: answer.max = numbers.last
            case .count: answer.count = numbers.count
            case .all: answer.all = numbers.isEmpty ? nil : numbers
            // RFC 5267 §4.4: positions in the result, 1-based; none there is NIL.
            // RFC 9394 §3.1: from either end of the sort order.
            case .partial, .partialLast:
                guard let partial = option.partialRange else { continue }
                answer.partial = (partial.positions, partial.window(numbers))
                answer.partialFromEnd = partial.fromEnd
            case .context, .update: continue
            }
        }
        return answer
    }

    static func criterion(_ key: SortCriterion.Key) -> SortKey.Criterion {
        switch key {
        case .arrival: return .arrival
        case .cc: return .cc
        case .date: return .date
        case .from: return .from
        case .size: return .size
        case .subject: return .subject
        case .to: return .to
        case .displayFrom: return .displayFrom
        case .displayTo: return .displayTo
        }
    }
}
