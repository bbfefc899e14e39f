import IMAPProtocol
import StoreAPI

/// COPY and MOVE with their UID forms, answered with COPYUID. RFC 9051 §6.4.7, §6.4.8,
/// RFC 6851, RFC 4315 §3.
extension IMAPSession {
    func copy(_ set: SequenceSet, to target: MailboxName, uid: Bool, move: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        if move && view.readOnly { return .no("Mailbox is read-only", .readOnly) }
        guard case .uids(let uids) = view.resolve(set, uid: uid, saved: savedSearch) else { return .bad("Invalid message number") }
        guard let destination = try await mailbox(named: target) else { return .no("No such mailbox", .tryCreate) }
        let verb = move ? "MOVE" : "COPY"
        let live = uids.filter { !view.isExpunged($0) }
        if live.isEmpty { return .ok("\(verb) completed; nothing to \(verb.lowercased())") }
        let result = try await store.copy(
            account, mailbox: view.mailbox.id,
            CopyRequest(uids: UIDSetCompression.sorted(live), targetMailboxID: destination.id, move: move))
        let code = ResponseCode.copyUID(
            uidValidity: result.uidValidity, source: result.mapping.map { $0[0] },
            destination: result.mapping.map { $0[1] })
        guard move else { return .ok("COPY completed", code) }
        // RFC 6851 §4.3: COPYUID comes untagged before the EXPUNGEs; the feed supplies those.
        try await send(.untagged(.ok, code, "Moved"))
        return .ok("MOVE completed")
    }
}
