import IMAPProtocol
import StoreAPI
import StoreClient

/// MessageNew's fetch attributes: after the EXISTS that announced them, a FETCH of each new
/// message of the selected mailbox with the attributes NOTIFY SET gave. RFC 5465 §5.2
///
/// ```
/// C: a1 NOTIFY SET (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (Subject)]) MessageExpunge))
///   …a message is delivered…
/// S: * 4 EXISTS
/// S: * 4 FETCH (UID 9 BODY[HEADER.FIELDS (SUBJECT)] {19}
/// S: Subject: Lunch
/// S:
/// S: )
/// ```
/// The responses are FETCH's own (`respond`, the same plan and encoder), sent after the EXISTS
/// and ESEARCH ADDTO (§5.2: the FETCH follows them), with sequence numbers the client was just
/// told (RFC 9051 §7.5.1). \Seen is never set: a notification is not the user reading, and §5.2
/// asks clients not to use attributes that would set it, so BODY[…] is served as BODY.PEEK[…].
/// \Recent shows in FLAGS as in any FETCH of this session (RFC 3501 §2.3.2).
extension IMAPSession {
    /// The UIDs that `changes` add to the view, not yet in it: the messages to fetch once the
    /// EXISTS is out. Empty, and nothing looked at, when NOTIFY gave no fetch attributes.
    func notifyArrivals(_ changes: [Change], in view: MailboxView) -> [UInt32] {
        guard notifyState?.newMessageFetch.isEmpty == false else { return [] }
        return changes.compactMap { change in
            guard change.kind == .added, change.mailboxID == view.mailbox.id, change.modSeq > view.cursor, let uid = change.uid,
                view.sequence(of: uid) == nil
            else { return nil }
            return uid
        }
    }

    /// Sends the FETCH of each of `uids` still in the view. A message gone from the store
    /// meanwhile is left out (its EXPUNGE comes later); a store failure is logged, not the
    /// command's: the EXISTS already told the client of the messages, which it can FETCH.
    func announceNotifyFetches(_ uids: [UInt32]) async throws {
        guard let account, let view, let attributes = notifyState?.newMessageFetch, !attributes.isEmpty else { return }
        let live = uids.filter { view.sequence(of: $0) != nil }
        guard !live.isEmpty else { return }
        var plan = FetchPlan(attributes, uid: false, modSeq: condstoreActive)
        plan.setsSeen = false
        let set = UIDSetCompression.sorted(live.sorted())
        do {
            if plan.needsObjects { plan.objects = try await messageObjects(account, view.mailbox.id, uids: set) }
            if plan.need.isNone {
                for message in try await store.summaries(account, view.mailbox.id, uids: set) {
                    try await notifyFetch(message, nil, plan)
                }
            } else {
                try await eachContentPage(account, view.mailbox.id, uids: set, need: plan.need) { page in
                    for (summary, content) in page { try await notifyFetch(summary, content, plan) }
                }
            }
        } catch let error as StoreClientError {
            logger.info("NOTIFY fetch attributes not sent", metadata: ["error": "\(error)"])
        }
    }

    /// One message's FETCH; when an attribute cannot be answered (a body part that is not
    /// there: §5.2 warns clients of those), the UID alone, so the client still hears of it.
    private func notifyFetch(_ message: MessageSummary, _ content: MessageContent?, _ plan: FetchPlan) async throws {
        guard try await respond(message, content, plan, implicit: false) != nil, let seq = view?.sequence(of: message.uid) else { return }
        try await send(.fetch(seq, [.uid(message.uid)]))
    }
}
