import IMAPProtocol
import StoreAPI

/// THREAD and UID THREAD. State: selected. RFC 5256 §3: ORDEREDSUBJECT and REFERENCES over
/// the messages a search matches, answered `* THREAD (2)(3 6 (4 23)(44 7 96))` (§4).
///
/// The store threads (`ThreadRequest`) over the UIDs this session knows; the answer goes back
/// in this session's sequence numbers unless UID THREAD.
extension IMAPSession {
    func thread(tag: String, _ program: ThreadProgram, uid: Bool) async throws -> Completion {
        guard let account, let view else { return .bad("No mailbox selected") }
        let live = view.liveUIDs
        var threads: [ThreadTree] = []
        if !live.isEmpty {
            let algorithm: ThreadRequest.Algorithm = program.algorithm == .references ? .references : .orderedSubject
            let request = ThreadRequest(
                algorithm: algorithm, query: Self.messageQuery(try await resolvingObjectKeys(program.key), view: view, saved: savedSearch),
                uids: UIDSetCompression.sorted(live))
            let result = try await store.thread(account, mailbox: view.mailbox.id, request)
            threads = result.threads.flatMap { Self.tree($0, uid: uid, view: view) }
        }
        try await send(.thread(threads))
        return .ok("THREAD completed")
    }

    /// A store thread in this session's numbers. A UID the session does not know (arrived
    /// since it last heard) is left out and its replies take its place.
    static func tree(_ node: ThreadNode, uid: Bool, view: MailboxView) -> [ThreadTree] {
        let children = node.children.flatMap { tree($0, uid: uid, view: view) }
        let number: UInt32? = node.uid.flatMap { value in
            uid ? (view.sequence(of: value) != nil ? value : nil) : view.sequence(of: value).map(UInt32.init)
        }
        if let number { return [ThreadTree(number, children)] }
        // A missing message: a dummy only when it holds several replies (RFC 5256 §3 step 3).
        return children.count > 1 ? [ThreadTree(nil, children)] : children
    }
}
