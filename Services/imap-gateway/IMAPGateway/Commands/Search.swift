import IMAPProtocol
import InternetMessage
import StoreAPI

/// SEARCH and UID SEARCH with every key, CHARSET UTF-8, ESEARCH return options (RFC 4731),
/// SAVE and `$` (RFC 5182), MODSEQ (RFC 7162 §3.1.5). Matching is SearchEvaluator's; this
/// reads only what the keys need (nothing, the header, or the whole message).
extension IMAPSession {
    func search(tag: String, _ program: SearchProgram, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        let usesModSeq = Self.mentionsModSeq(program.key)
        if usesModSeq { condstoreActive = true }
        let messages = try await summaries(account, view.mailbox.id, uids: nil)
        let evaluator = SearchEvaluator(largestSequence: UInt32(view.count), largestUID: view.largestUID, savedResult: savedSearch)
        let prepared = evaluator.prepare(program.key)
        let level = prepared.contentNeed
        var need = ReadNeed()
        switch level {
        case .none: break
        case .header: need = ReadNeed(parse: true, header: true, body: false)
        case .full: need = ReadNeed(parse: true, header: false, body: true)
        }
        var candidates: [(SearchCandidate, MessageSummary)] = []
        for message in messages {
            guard let seq = view.sequence(of: message.uid), !view.isExpunged(message.uid) else { continue }
            candidates.append((SearchCandidate(sequenceNumber: UInt32(seq), uid: message.uid, flags: message.flags,
                                               internalDate: message.internalDate, size: message.size, modSeq: message.modSeq,
                                               recent: false), message))
        }
        var matched: [(seq: UInt32, uid: UInt32, modSeq: UInt64)] = []
        var start = 0
        while start < candidates.count {
            let window = Array(candidates[start..<min(start + Self.fetchWindow * 4, candidates.count)])
            start += window.count
            let contents = try await loadContents(account, view.mailbox.id, window.map(\.0.uid), need)
            for (candidate, message) in window {
                var content: SearchContent?
                if !need.isNone {
                    guard let loaded = contents[candidate.uid], let parse = loaded.parse else { continue }
                    content = SearchContent(raw: loaded.bytes, parse: parse)
                }
                if prepared.matches(candidate, content: content) {
                    matched.append((candidate.sequenceNumber, candidate.uid, message.modSeq))
                }
            }
        }
        let numbers = matched.map { uid ? $0.uid : $0.seq }
        let highest = usesModSeq ? matched.map(\.modSeq).max() : nil
        guard let options = program.returnOptions else {
            try await send(.search(numbers, modSeq: highest))
            return .ok("SEARCH completed")
        }
        let asked = options.isEmpty ? [SearchReturnOption.all] : options
        if asked.contains(.save) {
            // RFC 5182 §2.4: with MIN or MAX, only those are saved.
            var saved = matched.map(\.uid)
            if asked.contains(.min) || asked.contains(.max) {
                saved = [asked.contains(.min) ? saved.first : nil, asked.contains(.max) ? saved.last : nil].compactMap { $0 }
            }
            savedSearch = Array(Set(saved)).sorted()
        }
        let reported = asked.filter { $0 != .save }
        if !reported.isEmpty || !asked.contains(.save) {
            var answer = ESearch(tag: tag, uid: uid)
            if reported.contains(.min) { answer.min = numbers.min() }
            if reported.contains(.max) { answer.max = numbers.max() }
            if reported.contains(.count) { answer.count = numbers.count }
            if reported.contains(.all), !numbers.isEmpty { answer.all = numbers }
            answer.modSeq = numbers.isEmpty ? nil : highest
            try await send(.esearch(answer))
        }
        return .ok("SEARCH completed")
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
