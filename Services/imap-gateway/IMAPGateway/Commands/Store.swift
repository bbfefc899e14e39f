import IMAPProtocol
import StoreAPI

/// STORE and UID STORE, with .SILENT and UNCHANGEDSINCE. RFC 9051 §6.4.6, RFC 7162 §3.1.3.
extension IMAPSession {
    func storeFlags(_ set: SequenceSet, _ arguments: StoreArguments, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        if view.readOnly { return .no("Mailbox is read-only", .readOnly) }
        guard case .uids(let uids) = view.resolve(set, uid: uid, saved: savedSearch) else { return .bad("Invalid message number") }
        if arguments.unchangedSince != nil { condstoreActive = true }
        let live = uids.filter { !view.isExpunged($0) }
        if live.isEmpty { return .ok("STORE completed") }
        let operation: FlagUpdateRequest.Operation =
            switch arguments.operation {
            case .add: .add
            case .remove: .remove
            case .replace: .replace
            }
        // \Recent is the server's to set, never stored. RFC 3501 §2.3.2
        let flags = arguments.flags.map(\.name).filter { $0.lowercased() != "\\recent" }
        // RFC 3501 §7.1: new keywords only while the mailbox has room for them (PERMANENTFLAGS
        // without `\*` says it has none).
        if operation != .remove, !keywordsFit(flags, in: view) { return Self.keywordLimitRefusal }
        let result = try await store.updateFlags(
            account, mailbox: view.mailbox.id,
            FlagUpdateRequest(
                uids: UIDSetCompression.sorted(live), operation: operation, flags: flags,
                unchangedSince: arguments.unchangedSince))
        ownWrite = OwnWrite(result, mailbox: view.mailbox.id)
        let modified = Set(result.modified)
        // RFC 3501 §7.2.6: FLAGS and PERMANENTFLAGS name a new keyword before any FETCH shows it.
        try await announceKeywords(in: result.messages.filter { !modified.contains($0.uid) }.map(\.flags))
        for message in result.messages where !modified.contains(message.uid) {
            if arguments.silent {
                self.view?.noteSilentChange(message.uid, operation, flags)
            } else {
                self.view?.noteFlags(message.uid, message.flags, modSeq: message.modSeq)
            }
            guard !arguments.silent || arguments.unchangedSince != nil, let seq = self.view?.sequence(of: message.uid) else { continue }
            // RFC 7162 §3.1.3: with UNCHANGEDSINCE the new MODSEQ is sent even when silent.
            let shown = self.view?.clientFlags(message.uid, message.flags) ?? message.flags
            var items: [FetchItem] = arguments.silent ? [] : [.flags(shown)]
            // RFC 7162 §3.1: after a CONDSTORE-enabling command every untagged FETCH has the UID.
            if uid || qresyncEnabled || condstoreActive { items.insert(.uid(message.uid), at: 0) }
            if condstoreActive { items.append(.modSeq(message.modSeq)) }
            try await send(.fetch(seq, items))
        }
        if !modified.isEmpty {
            let numbers = uid ? result.modified : result.modified.compactMap { self.view?.sequence(of: $0).map(UInt32.init) }
            return .ok("Conditional STORE failed for some messages", .modified(numbers.sorted()))
        }
        return .ok("STORE completed")
    }
}
