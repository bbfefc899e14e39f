import IMAPProtocol
import StoreAPI
import StoreClient

/// SETACL, DELETEACL, GETACL, LISTRIGHTS and MYRIGHTS (RFC 4314 §3), in the authenticated
/// and selected states. The store checks every right (`a` for all but MYRIGHTS); the
/// session only names the mailbox and maps the answers (Completion.storeFailure: NOPERM,
/// NONEXISTENT for a mailbox one has no right on).
///
/// ```
/// C: A1 SETACL Projects bob@example.org lrs
/// S: A1 OK SETACL completed
/// C: A2 GETACL Projects
/// S: * ACL Projects alice@example.org lrswipkxtea bob@example.org lrs
/// S: A2 OK GETACL completed
/// ```
/// Identifiers are `anyone` (every account of the owner's domain) or an address of that
/// domain; the owner's rights are all of them and cannot change (SETACL of the owner is NO).
extension IMAPSession {
    func acl(_ command: ACLCommand) async throws -> Completion {
        guard let account else { return .bad("Log in first") }
        guard let box = try await mailbox(named: command.mailbox) else { return .no("No such mailbox", .nonexistent) }
        let name = command.mailbox
        switch command {
        case .getACL:
            let list = try await store.getACL(account, mailbox: box.id)
            try await send(.acl(.acl(name, list.entries.map { ACLResponse.Entry(identifier: $0.identifier, rights: $0.rights) })))
            return .ok("GETACL completed")
        case .setACL(_, let identifier, let rights, let sign):
            // RFC 4314 §3.1: an unknown right is BAD.
            guard MailboxRights(rights) != nil else { return .bad("Unknown right in \(rights.prefix(20))") }
            let modification: RightsModification =
                switch sign {
                case .replace: .replace
                case .add: .add
                case .remove: .remove
                }
            _ = try await store.setACL(
                account, mailbox: box.id, SetACLRequest(identifier: identifier, rights: rights, modification: modification))
            return .ok("SETACL completed")
        case .deleteACL(_, let identifier):
            try await store.deleteACL(account, mailbox: box.id, identifier: identifier)
            return .ok("DELETEACL completed")
        case .listRights(_, let identifier):
            // RFC 4314 §3.4: needs `a` (the store's GETACL checks it) and answers what can be
            // granted: the owner has every right, fixed; anyone else none always, each alone.
            let list = try await store.getACL(account, mailbox: box.id)
            let isOwner = identifier.lowercased() == list.owner
            let required = isOwner ? MailboxRights.all.description : ""
            let optional = isOwner ? [] : MailboxRights.letters.map { String($0) }
            try await send(.acl(.listRights(name, identifier: identifier, required: required, optional: optional)))
            return .ok("LISTRIGHTS completed")
        case .myRights:
            let mine = try await store.myRights(account, mailbox: box.id)
            try await send(.acl(.myRights(name, mine.rights)))
            return .ok("MYRIGHTS completed")
        }
    }
}
