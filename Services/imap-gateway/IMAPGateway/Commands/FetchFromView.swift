import IMAPProtocol
import StoreAPI

/// FETCH of what the selected mailbox's view holds — UID, FLAGS, RFC822.SIZE, INTERNALDATE —
/// without asking the store for each message, as for `UID FETCH 1:* (FLAGS)` of a 100,000-
/// message mailbox. RFC 9051 §6.4.5
extension IMAPSession {
    /// FETCH answered from the session's view. The feed is read first (one small request; the
    /// change watcher may not have heard of a change another client was just told of), so the
    /// flags are as fresh as a listing would give them; messages added since SELECT (the feed
    /// does not carry their size) are asked of the store.
    func fetchFromView(_ account: String, _ uids: [UInt32], _ plan: FetchPlan) async throws -> Completion {
        try await announceChanges(allowExpunge: false)
        if plan.attributes.allSatisfy(Self.viewItems.contains), try await writeFromView(uids, plan) { return .ok("FETCH completed") }
        guard let view else { return .ok("FETCH completed") }
        let sized = plan.attributes.contains(.rfc822Size) || plan.attributes.contains(.internalDate)
        let held = uids.map { view.summary(of: $0, withSizeAndDate: sized) }
        let missing = uids.indices.filter { held[$0] == nil }.map { uids[$0] }
        var fromStore: [UInt32: MessageSummary] = [:]
        if !missing.isEmpty {
            for message in try await store.summaries(account, view.mailbox.id, uids: UIDSetCompression.sorted(missing)) {
                fromStore[message.uid] = message
            }
        }
        var failure: Completion?
        for (uid, summary) in zip(uids, held) {
            guard let message = summary ?? fromStore[uid] else { continue }
            failure = try await respond(message, nil, plan, implicit: false) ?? failure
        }
        return failure ?? .ok("FETCH completed")
    }

    /// The responses written straight from the view's columns, a chunk of messages at a time;
    /// a flag set's encoding is made once and shared by the messages that have it. False, with
    /// nothing sent, when a size or date asked for is not held (a message the feed added).
    private func writeFromView(_ uids: [UInt32], _ plan: FetchPlan) async throws -> Bool {
        guard let view else { return true }
        let sized = plan.attributes.contains(.rfc822Size) || plan.attributes.contains(.internalDate)
        if sized {
            var complete = true
            view.eachHeld(uids) { _, _, at, _ in complete = complete && at.flatMap { view.base.sizeAndDate(at: $0) } != nil }
            guard complete else { return false }
        }
        // RFC 3501 §7.2.6: FLAGS names a keyword before a FETCH does.
        let unknown = view.toldWithUnknownKeywords
        if !unknown.isEmpty { try await announceKeywords(in: unknown) }
        guard let view = self.view else { return true }
        let base = view.base
        var encodedSets = [[UInt8]?](repeating: nil, count: base.flagTable.count)
        var batch = FetchResponseBatch(utf8Enabled: utf8Enabled)
        for start in stride(from: 0, to: uids.count, by: Self.viewFetchChunk) {
            view.eachHeld(uids[start..<min(start + Self.viewFetchChunk, uids.count)]) { sequence, uid, at, own in
                batch.begin(sequence)
                for attribute in plan.attributes {
                    switch attribute {
                    case .uid:
                        batch.item(.uid(uid))
                    case .flags:
                        if let own { batch.item(.flags(own)); continue }
                        guard let at else { continue }
                        let set = Int(base.flagSets[at])
                        if encodedSets[set] == nil {
                            encodedSets[set] = FetchItem.flags(base.flagTable[set]).encoded(utf8Enabled: utf8Enabled)
                        }
                        batch.encodedItem(encodedSets[set] ?? [])
                    case .rfc822Size, .internalDate:
                        guard let held = at.flatMap({ base.sizeAndDate(at: $0) }) else { continue }
                        batch.item(attribute == .rfc822Size ? .rfc822Size(held.size) : .internalDate(held.internalDate))
                    default:
                        continue  // not asked here: the plan reads nothing else (`fetch`)
                    }
                }
                batch.end()
            }
            try await sendEncoded(batch.take())
        }
        return true
    }

    /// What `writeFromView` answers.
    static let viewItems: Set<FetchAttribute> = [.uid, .flags, .rfc822Size, .internalDate]

    /// Messages written per chunk: ~40 KB of responses for a flag-only FETCH.
    static let viewFetchChunk = 1_000
}
