import IMAPProtocol
import StoreAPI

/// SEARCH and UID SEARCH with every key, CHARSET UTF-8, ESEARCH return options (RFC 4731),
/// SAVE and `$` (RFC 5182), MODSEQ (RFC 7162 §3.1.5), and CONTEXT=SEARCH's CONTEXT (a hint,
/// taken and ignored), UPDATE and PARTIAL (RFC 5267 §4.2–4.4). The store evaluates the keys beside the
/// messages (`SearchRequest`, a typed `MessageQuery`: SearchQuery.swift); the session only turns
/// its sequence numbers, `*` and `$` into UIDs first, and the answer back into sequence numbers.
extension IMAPSession {
    func search(tag: String, _ program: SearchProgram, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        var updating = program.returnOptions?.contains(.update) == true
        if updating && contextTagInUse(tag) { return .bad("Tag already names an updating search") }  // RFC 5267 §4.3
        // RFC 5182 §2.1: a SAVE search that fails leaves `$` empty, not the old result.
        let saving = program.returnOptions?.contains(.save) == true
        let previousSaved = savedSearch
        if saving { savedSearch = [] }
        let usesModSeq = Self.mentionsModSeq(program.key)
        if usesModSeq { condstoreActive = true }
        let live = view.liveUIDs
        var matched: [UInt32] = []
        var highest: UInt64?
        let query = Self.messageQuery(try await resolvingObjectKeys(program.key), view: view, saved: previousSaved)
        if !live.isEmpty, !usesModSeq, MailboxView.asksOnlyFlags(query) {
            // Flags only: the view answers once the feed is read (no EXPUNGE during SEARCH,
            // RFC 9051 §7.5.1), among the messages the query was made for. SearchFromView.swift
            try await announceChanges(allowExpunge: false)
            let current = self.view ?? view
            matched = current.flagSearch(query, among: live.filter { !current.isExpunged($0) }) ?? []
        } else if !live.isEmpty {
            // A big mailbox is searched a slice at a time, so INPROGRESS can say how far it got
            // (RFC 9585 §3); each message's match does not depend on the others.
            let sorted = live.sorted()
            var found: [UInt32] = []
            var start = 0
            var size = max(1, settings.progressSlice)
            while start < sorted.count {
                if sorted.count > settings.progressSlice { try await reportProgress(done: start, total: sorted.count) }
                let slice = sorted[start..<min(start + size, sorted.count)]
                let began = ContinuousClock.now
                let result = try await store.search(
                    account, mailbox: view.mailbox.id, SearchRequest(query: query, uids: UIDSetCompression.sorted(Array(slice))))
                found += result.uids
                if let modSeq = result.highestModSeq { highest = max(highest ?? 0, modSeq) }
                start += slice.count
                size = Self.nextSlice(after: slice.count, took: ContinuousClock.now - began, settings: settings)
            }
            matched = view.numbers(found, asUIDs: true)
        }
        let numbers = view.numbers(matched, asUIDs: uid)
        if updating { updating = try await admitsContext(tag, resultSize: matched.count) }
        let modSeq = usesModSeq && !matched.isEmpty ? highest : nil
        // RFC 9051 §7.3.4: an IMAP4rev2 client gets ESEARCH (ALL) for a plain SEARCH.
        let returnOptions = program.returnOptions ?? (enabled.contains("IMAP4REV2") ? [] : nil)
        guard let options = returnOptions else {
            try await send(.search(numbers, modSeq: modSeq))
            return .ok("SEARCH completed")
        }
        // RETURN () means ALL (RFC 4731 §3.1); so does UPDATE or CONTEXT alone: the client
        // needs the result its ADDTO and REMOVEFROM apply to (RFC 5267 §4.3).
        let answering = options.filter { $0 != .update && $0 != .context }
        let asked = answering.isEmpty ? [SearchReturnOption.all] : answering
        if asked.contains(.save) {
            // RFC 5182 §2.4: SAVE with MIN and/or MAX and no other result option saves only
            // those; with any other (ALL, COUNT, PARTIAL) the whole result is saved.
            var saved = matched
            let onlyMinMax = asked.allSatisfy { $0 == .save || $0 == .min || $0 == .max }
            if onlyMinMax && (asked.contains(.min) || asked.contains(.max)) {
                saved = [asked.contains(.min) ? matched.first : nil, asked.contains(.max) ? matched.last : nil].compactMap { $0 }
            }
            savedSearch = Array(Set(saved)).sorted()
        }
        let reported = asked.filter { $0 != .save }
        if !reported.isEmpty {
            var answer = ESearch(tag: tag, uid: uid)
            if reported.contains(.min) { answer.min = numbers.min() }
            if reported.contains(.max) { answer.max = numbers.max() }
            if reported.contains(.count) { answer.count = numbers.count }
            if reported.contains(.all), !numbers.isEmpty { answer.all = numbers }
            // RFC 9394 §3.1: positions in the result (ascending), from either end.
            for partial in reported.compactMap(\.partialRange) {
                answer.partial = (partial.positions, partial.window(numbers))
                answer.partialFromEnd = partial.fromEnd
            }
            answer.modSeq = try await reportedModSeq(modSeq, reported, matched: matched, query: query, mailbox: view.mailbox.id)
            try await send(.esearch(answer))
        }
        if updating {
            contexts.append(SearchContext(tag: tag, uid: uid, query: query, order: .mailbox, result: matched))
        }
        return .ok("SEARCH completed")
    }

    /// RFC 4731 §3.2 (RFC 7162 §3.1.5): with MIN and/or MAX but neither ALL nor COUNT, MODSEQ
    /// is that of the message(s) returned (the higher of the two when both are asked), not the
    /// highest of the whole result; otherwise the highest of all results.
    private func reportedModSeq(
        _ highest: UInt64?, _ reported: [SearchReturnOption], matched: [UInt32], query: MessageQuery, mailbox: Int64
    ) async throws -> UInt64? {
        guard let highest, let account, reported.contains(.min) || reported.contains(.max) else { return highest }
        let others = reported.contains { option in
            switch option {
            case .min, .max: return false
            default: return true
            }
        }
        guard !others else { return highest }
        let picked = [reported.contains(.min) ? matched.first : nil, reported.contains(.max) ? matched.last : nil].compactMap { $0 }
        let result = try await store.search(
            account, mailbox: mailbox, SearchRequest(query: query, uids: UIDSetCompression.sorted(Array(Set(picked)).sorted())))
        return result.highestModSeq ?? highest
    }

    /// The next slice's size: a slice the store answered quickly (from its indexes, where each
    /// request repeats the index lookup whatever the slice) makes the next one as large as should
    /// take half the INPROGRESS interval, so an indexed search of 100,000 messages is two
    /// requests, not ten; a slow one (a scan) keeps the configured size. Reports stay at least
    /// as frequent as the interval asks.
    static func nextSlice(after count: Int, took: Duration, settings: SessionSettings) -> Int {
        guard let interval = settings.inProgressAfter, interval > .zero else { return max(1, settings.progressSlice) }
        let budget = interval / 2
        guard took < budget / 5 else { return max(1, settings.progressSlice) }
        let rate = Double(count) / max(took / .microseconds(1), 1)  // messages a microsecond
        return max(settings.progressSlice, Int(min(rate * (budget / .microseconds(1)), Double(Int32.max))))
    }

    /// Whether a MODSEQ key appears anywhere (the answer then carries the highest MODSEQ).
    static func mentionsModSeq(_ key: SearchKey) -> Bool {
        var stack = [key]
        while let next = stack.popLast() {
            switch next {
            case .modSeq: return true
            case .not(let inner): stack.append(inner)
            case .or(let a, let b): stack += [a, b]
            case .and(let keys): stack += keys
            default: continue
            }
        }
        return false
    }
}
