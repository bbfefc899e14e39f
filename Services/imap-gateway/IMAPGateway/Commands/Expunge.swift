import IMAPProtocol
import StoreAPI

/// EXPUNGE and UID EXPUNGE (UIDPLUS). RFC 9051 §6.4.3, RFC 4315 §2.1.
extension IMAPSession {
    func expunge(uids set: SequenceSet?) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        if view.readOnly { return .no("Mailbox is read-only", .readOnly) }
        var uids: String?
        if let set {
            guard case .uids(let list) = view.resolve(set, uid: true, saved: savedSearch) else { return .bad("Invalid UID set") }
            if list.isEmpty { return .ok("UID EXPUNGE completed") }
            uids = UIDSetCompression.sorted(list)
        }
        _ = try await store.expunge(account, mailbox: view.mailbox.id, ExpungeRequest(uids: uids, onlyDeleted: true))
        // The expunged messages reach the client through the change feed, with every other
        // change in order, just before the tagged OK.
        return .ok(set == nil ? "EXPUNGE completed" : "UID EXPUNGE completed")
    }
}
